-- Federation: the partner nodes this node has pinned (their card, TLS certificate and signing key), the
-- versions of the sharing agreement with each, the outbox of envelopes to deliver with their retries, the inbox
-- of envelopes received (each id once), the envelope ids seen in direct exchanges (replay protection), the
-- opaque references handed to partners for their hits, and the disclosure requests in both directions.

CREATE TABLE partners (
    node_id         TEXT PRIMARY KEY NOT NULL CHECK (node_id <> ''),
    name            TEXT NOT NULL,
    country         TEXT NOT NULL,
    endpoint        TEXT NOT NULL,
    -- A TLS handshake is matched to its partner by the certificate's fingerprint, so one certificate names one
    -- partner.
    tls_fingerprint TEXT NOT NULL UNIQUE CHECK (tls_fingerprint <> ''),
    tls_certificate TEXT NOT NULL,
    signing_key     TEXT NOT NULL,
    -- The signed node card as received (JSON), opaque to the store.
    card            TEXT NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
    added_at        TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;

CREATE TABLE agreements (
    partner    TEXT NOT NULL REFERENCES partners (node_id),
    -- 1, 2, 3... per partner: the highest plus one, assigned inside the adding transaction.
    version    INTEGER NOT NULL CHECK (version > 0),
    -- TOML, opaque to the store.
    text       TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (partner, version)
) STRICT;

CREATE TABLE outbox (
    -- The envelope's id.
    id              TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
    recipient       TEXT NOT NULL,
    kind            TEXT NOT NULL,
    -- The signed envelope, byte for byte as it is sent.
    envelope        BLOB NOT NULL,
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL CHECK (attempts >= 0),
    next_attempt_at TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    last_error      TEXT,
    delivered_at    TEXT
) STRICT;

-- The delivery worker's question (pending and due) and the counts by state.
CREATE INDEX outbox_by_state ON outbox (state, next_attempt_at);

CREATE TABLE inbox (
    -- Receipt order.
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The envelope's id: an envelope delivered twice is stored once.
    id          TEXT NOT NULL UNIQUE CHECK (id <> ''),
    sender      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    -- The signed envelope, byte for byte as it was received.
    envelope    BLOB NOT NULL,
    received_at TEXT NOT NULL,
    processed   INTEGER NOT NULL CHECK (processed IN (0, 1))
) STRICT;

CREATE INDEX inbox_by_sender ON inbox (sender, seq);
-- What is left to process after a restart; small, since envelopes are processed as they arrive.
CREATE INDEX inbox_unprocessed ON inbox (seq) WHERE NOT processed;

-- Ids of envelopes exchanged directly (a search and its answer) rather than through the inbox: a replay is
-- refused by its id. Ids older than the clock window are refused by their time, so they can be forgotten.
CREATE TABLE seen_envelopes (
    id      TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
    sender  TEXT NOT NULL,
    seen_at TEXT NOT NULL
) STRICT;

CREATE INDEX seen_envelopes_by_time ON seen_envelopes (seen_at);

-- The opaque reference a partner receives instead of a record id when one of this node's records is a hit for
-- its search; a disclosure request names the hit by it.
CREATE TABLE hit_refs (
    hit_ref        TEXT PRIMARY KEY NOT NULL CHECK (hit_ref <> ''),
    requester      TEXT NOT NULL,
    record_type    TEXT NOT NULL CHECK (record_type <> ''),
    record_id      TEXT NOT NULL CHECK (record_id <> ''),
    correlation_id TEXT NOT NULL,
    purpose        TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL
) STRICT;

CREATE INDEX hit_refs_by_expiry ON hit_refs (expires_at);

-- A disclosure request as the requesting node keeps it (outgoing) and as the owning node keeps it (incoming):
-- one id, two rows when both ends are the same database.
CREATE TABLE disclosures (
    id           TEXT NOT NULL CHECK (id <> ''),
    direction    TEXT NOT NULL CHECK (direction IN ('outgoing', 'incoming')),
    partner      TEXT NOT NULL,
    hit_ref      TEXT NOT NULL,
    purpose      TEXT NOT NULL,
    legal_basis  TEXT NOT NULL,
    case_ref     TEXT,
    requested_by TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'refused', 'expired')),
    decided_by   TEXT,
    reason       TEXT,
    -- The disclosed record (JSON) once approved, opaque to the store.
    record       TEXT,
    created_at   TEXT NOT NULL,
    decided_at   TEXT,
    PRIMARY KEY (id, direction)
) STRICT;

-- The lists newest first, of one direction or of one direction and state (the requests awaiting a decision).
CREATE INDEX disclosures_by_time ON disclosures (direction, created_at, id);
CREATE INDEX disclosures_by_state ON disclosures (direction, state, created_at, id);
