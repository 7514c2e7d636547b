-- Links between records: a document's holder, an alert's subject, a relation's ends, a case's entities. The
-- store keeps them beside the opaque bodies so that a referenced record cannot be deleted silently and the
-- node can find who points at a record without reading bodies.

CREATE TABLE record_references (
    -- The referring record by its seq: a compact key, and a page of records finds its references in one range.
    -- Deleting a record takes its outgoing references with it.
    from_seq INTEGER NOT NULL REFERENCES records (seq) ON DELETE CASCADE,
    -- The place of the reference in the record's list, from 0.
    position INTEGER NOT NULL CHECK (position >= 0),
    -- The target by (type, id), not by seq: it need not exist yet (imports arrive in any order, partners'
    -- records arrive later), and a target deleted and stored again is the same record to its referrers.
    to_type  TEXT NOT NULL CHECK (to_type <> ''),
    to_id    TEXT NOT NULL CHECK (to_id <> ''),
    PRIMARY KEY (from_seq, position)
) STRICT, WITHOUT ROWID;

-- Who points at a record. id first, like the records' key; the index carries from_seq (the primary key).
CREATE INDEX record_references_by_target ON record_references (to_id, to_type);
