-- Federation: the partner nodes this node has pinned (their card, TLS certificate and signing key), the
-- versions of the sharing agreement with each, the outbox of envelopes to deliver with their retries, the inbox
-- of envelopes received (each id once), the envelope ids seen in direct exchanges (replay protection), the
-- opaque references handed to partners for their hits, and the disclosure requests in both directions.
--
-- Ids that lists are ordered by compare byte by byte (COLLATE "C"), so lists come out in the same order as on
-- SQLite whatever the database's locale.

CREATE TABLE partners (
    node_id         TEXT COLLATE "C" PRIMARY KEY CHECK (node_id <> ''),
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
    added_at        TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE TABLE agreements (
    partner    TEXT COLLATE "C" NOT NULL REFERENCES partners (node_id),
    -- 1, 2, 3... per partner: the highest plus one, assigned inside the adding transaction (which locks the
    -- partner's row).
    version    BIGINT NOT NULL CHECK (version > 0),
    -- TOML, opaque to the store.
    text       TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (partner, version)
);

CREATE TABLE outbox (
    -- The envelope's id.
    id              TEXT COLLATE "C" PRIMARY KEY CHECK (id <> ''),
    recipient       TEXT NOT NULL,
    kind            TEXT NOT NULL,
    -- The signed envelope, byte for byte as it is sent.
    envelope        BYTEA NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    attempts        BIGINT NOT NULL CHECK (attempts >= 0),
    next_attempt_at TIMESTAMPTZ NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    last_error      TEXT,
    delivered_at    TIMESTAMPTZ
);

-- The delivery worker's question (pending and due) and the counts by state.
CREATE INDEX outbox_by_state ON outbox (state, next_attempt_at);

CREATE TABLE inbox (
    -- Receipt order.
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- The envelope's id: an envelope delivered twice is stored once.
    id          TEXT COLLATE "C" NOT NULL UNIQUE CHECK (id <> ''),
    sender      TEXT NOT NULL,
    kind        TEXT NOT NULL,
    -- The signed envelope, byte for byte as it was received.
    envelope    BYTEA NOT NULL,
    received_at TIMESTAMPTZ NOT NULL,
    processed   BOOLEAN NOT NULL
);

CREATE INDEX inbox_by_sender ON inbox (sender, seq);
-- What is left to process after a restart; small, since envelopes are processed as they arrive.
CREATE INDEX inbox_unprocessed ON inbox (seq) WHERE NOT processed;

-- Ids of envelopes exchanged directly (a search and its answer) rather than through the inbox: a replay is
-- refused by its id. Ids older than the clock window are refused by their time, so they can be forgotten.
CREATE TABLE seen_envelopes (
    id      TEXT PRIMARY KEY CHECK (id <> ''),
    sender  TEXT NOT NULL,
    seen_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX seen_envelopes_by_time ON seen_envelopes (seen_at);

-- The opaque reference a partner receives instead of a record id when one of this node's records is a hit for
-- its search; a disclosure request names the hit by it.
CREATE TABLE hit_refs (
    hit_ref        TEXT PRIMARY KEY CHECK (hit_ref <> ''),
    requester      TEXT NOT NULL,
    record_type    TEXT NOT NULL CHECK (record_type <> ''),
    record_id      TEXT NOT NULL CHECK (record_id <> ''),
    correlation_id TEXT NOT NULL,
    purpose        TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    expires_at     TIMESTAMPTZ NOT NULL
);

CREATE INDEX hit_refs_by_expiry ON hit_refs (expires_at);

-- A disclosure request as the requesting node keeps it (outgoing) and as the owning node keeps it (incoming):
-- one id, two rows when both ends are the same database.
CREATE TABLE disclosures (
    id           TEXT COLLATE "C" NOT NULL CHECK (id <> ''),
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
    created_at   TIMESTAMPTZ NOT NULL,
    decided_at   TIMESTAMPTZ,
    PRIMARY KEY (id, direction)
);

-- The lists newest first, of one direction or of one direction and state (the requests awaiting a decision).
CREATE INDEX disclosures_by_time ON disclosures (direction, created_at, id);
CREATE INDEX disclosures_by_state ON disclosures (direction, state, created_at, id);
