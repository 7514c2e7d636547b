-- Border screening: the runs (a manifest or one document screened, with the report as shown to the officer),
-- the hits each run raised with the officer's verdict on them, and the versions of the node's risk rule set.
-- Verdicts feed the accuracy figures per rule, alert category, band and kind of hit.

CREATE TABLE screening_runs (
    id              TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
    kind            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    username        TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    case_ref        TEXT,
    source          TEXT NOT NULL,
    travellers      INTEGER NOT NULL CHECK (travellers >= 0),
    hits            INTEGER NOT NULL CHECK (hits >= 0),
    -- Not a foreign key: a run is a historical document and keeps the number it was screened under.
    ruleset_version INTEGER,
    -- JSON, opaque to the store.
    report          TEXT NOT NULL
) STRICT;

-- Newest first; id breaks ties between runs of the same microsecond.
CREATE INDEX screening_runs_by_time ON screening_runs (created_at, id);

CREATE TABLE screening_hits (
    id             TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
    run_id         TEXT NOT NULL REFERENCES screening_runs (id) ON DELETE CASCADE,
    -- The run's time, kept on the hit so the statistics filter on one indexed column without a join.
    created_at     TEXT NOT NULL,
    traveller      INTEGER NOT NULL CHECK (traveller >= 0),
    kind           TEXT NOT NULL,
    band           TEXT NOT NULL,
    alert_category TEXT,
    rule_id        TEXT,
    record_ref     TEXT,
    -- Null until an officer reviews the hit.
    verdict        TEXT CHECK (verdict IN ('true_hit', 'false_hit')),
    reviewed_by    TEXT,
    reviewed_at    TEXT
) STRICT;

-- A run's hits in their order (traveller, then id).
CREATE INDEX screening_hits_by_run ON screening_hits (run_id, traveller, id);
CREATE INDEX screening_hits_by_time ON screening_hits (created_at);

CREATE TABLE rulesets (
    -- 1, 2, 3...: the highest version plus one, assigned inside the adding transaction.
    version     INTEGER PRIMARY KEY CHECK (version > 0),
    name        TEXT NOT NULL,
    text        TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    active      INTEGER NOT NULL CHECK (active IN (0, 1))
) STRICT;

-- At most one version is active: the database refuses a second, whatever the code does.
CREATE UNIQUE INDEX rulesets_one_active ON rulesets (active) WHERE active;
