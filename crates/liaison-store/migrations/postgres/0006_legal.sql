-- Legal cooperation: the requests this node sent or is executing (each side keeps one under the id the
-- requesting node made), the timeline of each, the evidence attached to them and the signed chain of custody of
-- each piece of evidence.
--
-- Ids that lists are ordered by compare byte by byte (COLLATE "C"), so lists come out in the same order as on
-- SQLite whatever the database's locale.

CREATE TABLE legal_requests (
    id         TEXT COLLATE "C" PRIMARY KEY CHECK (id <> ''),
    side       TEXT NOT NULL CHECK (side IN ('requesting', 'executing')),
    -- The other node.
    partner    TEXT NOT NULL,
    kind       TEXT NOT NULL,
    state      TEXT NOT NULL,
    urgent     BOOLEAN NOT NULL,
    case_ref   TEXT,
    -- The request's form and its deadline events (JSON), opaque to the store.
    form       TEXT NOT NULL,
    events     TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    -- 1 when created, one more for every update: an update names the version it read, so a stale one changes
    -- nothing.
    version    BIGINT NOT NULL CHECK (version > 0)
);

-- The lists newest first: all, of one side, partner, kind or state, or the open ones.
CREATE INDEX legal_requests_by_time ON legal_requests (created_at, id);
CREATE INDEX legal_requests_by_side ON legal_requests (side, created_at, id);
CREATE INDEX legal_requests_by_partner ON legal_requests (partner, created_at, id);
CREATE INDEX legal_requests_by_kind ON legal_requests (kind, created_at, id);
CREATE INDEX legal_requests_by_state ON legal_requests (state, created_at, id);
CREATE INDEX legal_requests_open ON legal_requests (created_at, id)
    WHERE state NOT IN ('closed', 'withdrawn');

CREATE TABLE legal_events (
    request_id  TEXT COLLATE "C" NOT NULL REFERENCES legal_requests (id),
    -- 1, 2, 3... per request: the highest plus one, assigned inside the appending transaction.
    seq         BIGINT NOT NULL CHECK (seq > 0),
    at          TIMESTAMPTZ NOT NULL,
    action      TEXT NOT NULL,
    side        TEXT NOT NULL,
    node        TEXT NOT NULL,
    actor       TEXT NOT NULL,
    state_after TEXT NOT NULL,
    detail      TEXT,
    envelope_id TEXT,
    PRIMARY KEY (request_id, seq)
);

CREATE TABLE evidence (
    id            TEXT COLLATE "C" PRIMARY KEY CHECK (id <> ''),
    request_id    TEXT COLLATE "C" NOT NULL REFERENCES legal_requests (id),
    name          TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    size          BIGINT NOT NULL CHECK (size >= 0),
    -- SHA-256 of the content, lowercase hex.
    sha256        TEXT NOT NULL,
    -- The node that collected it.
    origin        TEXT NOT NULL,
    added_by      TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('intact', 'mismatch', 'unverified')),
    -- Why the status is what it is (the digests compared), when there is something to say.
    status_detail TEXT,
    -- NULL when this node does not hold the bytes. Last, as on SQLite; large values are kept out of line.
    content       BYTEA
);

-- The evidence of one request, oldest first.
CREATE INDEX evidence_by_request ON evidence (request_id, created_at, id);

-- Each event is signed by the node that recorded it and names the digest of the one before, so the store keeps
-- them as given, numbered by the caller.
CREATE TABLE custody_events (
    evidence_id  TEXT COLLATE "C" NOT NULL REFERENCES evidence (id),
    seq          BIGINT NOT NULL,
    event        TEXT NOT NULL,
    at           TIMESTAMPTZ NOT NULL,
    node         TEXT NOT NULL,
    actor        TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    note         TEXT,
    prev         TEXT NOT NULL,
    signature    TEXT NOT NULL,
    verification TEXT NOT NULL,
    PRIMARY KEY (evidence_id, seq)
);
