-- Old pod: an account archive the person asked for, written by a durable job (archive package). The password is
-- kept sealed (by the pod's secret box) only while the archive is being written, then wiped.
CREATE TABLE archives (
    id              TEXT        PRIMARY KEY,
    account_id      BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    state           TEXT        NOT NULL CHECK (state IN ('QUEUED', 'WRITING', 'READY', 'FAILED', 'EXPIRED')),
    step            TEXT        NOT NULL,
    photos          TEXT        NOT NULL CHECK (photos IN ('included', 'linked', 'left-out')),
    password_sealed TEXT,
    lease_owner     TEXT,
    lease_until     TIMESTAMPTZ,
    attempts        INT         NOT NULL DEFAULT 0,
    bytes           BIGINT,
    sha256          TEXT,
    error           TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    ready_at        TIMESTAMPTZ,
    expires_at      TIMESTAMPTZ,
    CONSTRAINT archives_password_only_while_writing
        CHECK ((state IN ('QUEUED', 'WRITING')) = (password_sealed IS NOT NULL))
);
CREATE INDEX archives_account ON archives (account_id, created_at DESC);
CREATE INDEX archives_due ON archives (state, lease_until) WHERE state IN ('QUEUED', 'WRITING');
-- One archive under way per account at a time.
CREATE UNIQUE INDEX archives_one_under_way ON archives (account_id) WHERE state IN ('QUEUED', 'WRITING');
