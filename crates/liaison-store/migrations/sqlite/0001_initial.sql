-- Liaison's schema on SQLite.
--
-- Timestamps are TEXT in RFC 3339 UTC with exactly six fractional digits and a trailing 'Z', written by the
-- store: fixed width, so text order is time order and values round-trip to the microsecond. Tables are STRICT
-- so a value of the wrong type is refused instead of silently stored.

CREATE TABLE records (
    -- Insertion order, which an update keeps. AUTOINCREMENT so a number is never handed out twice.
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    record_type   TEXT NOT NULL CHECK (record_type <> ''),
    id            TEXT NOT NULL CHECK (id <> ''),
    owner         TEXT NOT NULL,
    handling_code TEXT NOT NULL,
    retain_until  TEXT,
    body          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    -- id first: one index serves upserts by (type, id) and lookups by id alone.
    UNIQUE (id, record_type)
) STRICT;

CREATE TABLE users (
    username             TEXT PRIMARY KEY NOT NULL,
    password_hash        TEXT NOT NULL,
    -- Role names separated by commas (role names never contain one).
    roles                TEXT NOT NULL,
    totp_secret          TEXT,
    totp_enabled         INTEGER NOT NULL,
    failed_logins        INTEGER NOT NULL CHECK (failed_logins >= 0),
    locked_until         TEXT,
    must_change_password INTEGER NOT NULL,
    disabled             INTEGER NOT NULL,
    created_at           TEXT NOT NULL
) STRICT;

CREATE TABLE tokens (
    id           TEXT PRIMARY KEY NOT NULL,
    username     TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    -- SHA-256 of the bearer token; the token itself is never stored.
    token_hash   TEXT NOT NULL UNIQUE,
    label        TEXT,
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    revoked_at   TEXT,
    last_used_at TEXT
) STRICT;

CREATE INDEX tokens_by_username ON tokens (username);

CREATE TABLE sessions (
    -- SHA-256 of the session id; the id itself lives only in the browser's cookie.
    id_hash      TEXT PRIMARY KEY NOT NULL,
    username     TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    csrf_token   TEXT NOT NULL
) STRICT;

CREATE INDEX sessions_by_username ON sessions (username);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

-- The audit log: append-only and hash-chained (see the store's audit module for what the hash covers).
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY CHECK (seq > 0),
    at         TEXT NOT NULL,
    node       TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    -- JSON arrays of strings.
    objects    TEXT NOT NULL,
    purpose    TEXT,
    case_ref   TEXT,
    recipients TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    detail     TEXT,
    request_id TEXT,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
) STRICT;

CREATE INDEX audit_log_by_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_by_action ON audit_log (action, seq);
CREATE INDEX audit_log_by_at ON audit_log (at);

-- The chain's head: the last entry's seq and hash, one row. Appends read it inside their write transaction,
-- so they serialise on it; verification compares it with the last entry, which reveals entries cut off the end.
CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq  INTEGER NOT NULL,
    last_hash TEXT NOT NULL
) STRICT;

INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Defence in depth: the database itself refuses to change or remove audit entries, and lets the head only
-- advance to the entry just appended. Someone with access to the file can still drop these triggers; what
-- they then change is what verification detects.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be changed');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only: entries cannot be deleted');
END;

CREATE TRIGGER audit_head_advance_only BEFORE UPDATE ON audit_head
WHEN NEW.id <> OLD.id
    OR NEW.last_seq <> OLD.last_seq + 1
    OR NOT EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.last_seq AND hash = NEW.last_hash)
BEGIN
    SELECT RAISE(ABORT, 'the audit head may only advance to the entry just appended');
END;

CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN
    SELECT RAISE(ABORT, 'the audit head cannot be deleted');
END;
