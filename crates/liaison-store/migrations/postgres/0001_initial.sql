-- Liaison's schema on PostgreSQL. Timestamps are TIMESTAMPTZ (microsecond precision, like the store's values).

CREATE TABLE records (
    -- Insertion order, which an update keeps.
    seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_type   TEXT NOT NULL CHECK (record_type <> ''),
    id            TEXT NOT NULL CHECK (id <> ''),
    owner         TEXT NOT NULL,
    handling_code TEXT NOT NULL,
    retain_until  DATE,
    body          TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    -- id first: one index serves upserts by (type, id) and lookups by id alone.
    UNIQUE (id, record_type)
);

CREATE TABLE users (
    username             TEXT PRIMARY KEY,
    password_hash        TEXT NOT NULL,
    -- Role names separated by commas (role names never contain one); the same on both backends.
    roles                TEXT NOT NULL,
    totp_secret          TEXT,
    totp_enabled         BOOLEAN NOT NULL,
    failed_logins        BIGINT NOT NULL CHECK (failed_logins >= 0),
    locked_until         TIMESTAMPTZ,
    must_change_password BOOLEAN NOT NULL,
    disabled             BOOLEAN NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL
);

CREATE TABLE tokens (
    id           TEXT PRIMARY KEY,
    username     TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    -- SHA-256 of the bearer token; the token itself is never stored.
    token_hash   TEXT NOT NULL UNIQUE,
    label        TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ
);

CREATE INDEX tokens_by_username ON tokens (username);

CREATE TABLE sessions (
    -- SHA-256 of the session id; the id itself lives only in the browser's cookie.
    id_hash      TEXT PRIMARY KEY,
    username     TEXT NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    csrf_token   TEXT NOT NULL
);

CREATE INDEX sessions_by_username ON sessions (username);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The audit log: append-only and hash-chained (see the store's audit module for what the hash covers).
CREATE TABLE audit_log (
    seq        BIGINT PRIMARY KEY CHECK (seq > 0),
    at         TIMESTAMPTZ NOT NULL,
    node       TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    -- JSON arrays of strings, kept as the exact text the store wrote.
    objects    TEXT NOT NULL,
    purpose    TEXT,
    case_ref   TEXT,
    recipients TEXT NOT NULL,
    outcome    TEXT NOT NULL,
    detail     TEXT,
    request_id TEXT,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);

CREATE INDEX audit_log_by_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_by_action ON audit_log (action, seq);
CREATE INDEX audit_log_by_at ON audit_log (at);

-- The chain's head: the last entry's seq and hash, one row. Appends lock it (SELECT ... FOR UPDATE), so appends
-- from several processes serialise; verification compares it with the last entry, which reveals entries cut off
-- the end.
CREATE TABLE audit_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq  BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);

INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Defence in depth: the database itself refuses to change or remove audit entries, and lets the head only
-- advance to the entry just appended. A superuser or the table owner can still drop these triggers; what they
-- then change is what verification detects.
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % is refused', lower(TG_OP);
END
$$;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

CREATE FUNCTION audit_head_advance_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE'
        OR NEW.id <> OLD.id
        OR NEW.last_seq <> OLD.last_seq + 1
        OR NOT EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.last_seq AND hash = NEW.last_hash)
    THEN
        RAISE EXCEPTION 'the audit head may only advance to the entry just appended';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER audit_head_advance_only BEFORE UPDATE OR DELETE ON audit_head
    FOR EACH ROW EXECUTE FUNCTION audit_head_advance_only();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
