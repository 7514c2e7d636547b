-- Building a node's in-memory indexes reads one record type at a time in insertion order; without this
-- index each pass would scan every record of every type.
CREATE INDEX records_by_type ON records (record_type, seq);
