-- Border screening: the runs (a manifest or one document screened, with the report as shown to the officer),
-- the hits each run raised with the officer's verdict on them, and the versions of the node's risk rule set.
-- Verdicts feed the accuracy figures per rule, alert category, band and kind of hit.
--
-- Ids and the keys the statistics group by compare byte by byte (COLLATE "C"), so lists come out in the same
-- order as on SQLite whatever the database's locale.

CREATE TABLE screening_runs (
    id              TEXT COLLATE "C" PRIMARY KEY CHECK (id <> ''),
    kind            TEXT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    username        TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    case_ref        TEXT,
    source          TEXT NOT NULL,
    travellers      BIGINT NOT NULL CHECK (travellers >= 0),
    hits            BIGINT NOT NULL CHECK (hits >= 0),
    -- Not a foreign key: a run is a historical document and keeps the number it was screened under.
    ruleset_version BIGINT,
    -- JSON, opaque to the store.
    report          TEXT NOT NULL
);

-- Newest first; id breaks ties between runs of the same microsecond.
CREATE INDEX screening_runs_by_time ON screening_runs (created_at, id);

CREATE TABLE screening_hits (
    id             TEXT COLLATE "C" PRIMARY KEY CHECK (id <> ''),
    run_id         TEXT COLLATE "C" NOT NULL REFERENCES screening_runs (id) ON DELETE CASCADE,
    -- The run's time, kept on the hit so the statistics filter on one indexed column without a join.
    created_at     TIMESTAMPTZ NOT NULL,
    traveller      BIGINT NOT NULL CHECK (traveller >= 0),
    kind           TEXT COLLATE "C" NOT NULL,
    band           TEXT COLLATE "C" NOT NULL,
    alert_category TEXT COLLATE "C",
    rule_id        TEXT COLLATE "C",
    record_ref     TEXT,
    -- Null until an officer reviews the hit.
    verdict        TEXT CHECK (verdict IN ('true_hit', 'false_hit')),
    reviewed_by    TEXT,
    reviewed_at    TIMESTAMPTZ
);

-- A run's hits in their order (traveller, then id).
CREATE INDEX screening_hits_by_run ON screening_hits (run_id, traveller, id);
CREATE INDEX screening_hits_by_time ON screening_hits (created_at);

CREATE TABLE rulesets (
    -- 1, 2, 3...: the highest version plus one, assigned inside the adding transaction (which locks the table).
    version     BIGINT PRIMARY KEY CHECK (version > 0),
    name        TEXT NOT NULL,
    text        TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    active      BOOLEAN NOT NULL
);

-- At most one version is active: the database refuses a second, whatever the code does.
CREATE UNIQUE INDEX rulesets_one_active ON rulesets (active) WHERE active;
