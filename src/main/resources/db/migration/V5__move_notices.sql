-- Move notices. The old pod's outbox: one signed notice per move, one delivery per pod that hosts a contact of
-- the mover, each with its outcome. The new pod reads the outcomes through the notice's status key.
CREATE TABLE move_notices (
    id         UUID        PRIMARY KEY,
    account_id BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    old_handle TEXT        NOT NULL,
    new_handle TEXT        NOT NULL,
    jws        TEXT        NOT NULL,
    status_key TEXT        NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE move_deliveries (
    notice_id       UUID        NOT NULL REFERENCES move_notices (id) ON DELETE CASCADE,
    pod_host        TEXT        NOT NULL,
    -- A contact on that pod: its WebFinger names the pod's inbox.
    contact_handle  TEXT        NOT NULL,
    state           TEXT        NOT NULL DEFAULT 'PENDING'
                    CHECK (state IN ('PENDING', 'ACCEPTED', 'REFUSED', 'UNREACHABLE')),
    attempts        INT         NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    lease_owner     TEXT,
    lease_until     TIMESTAMPTZ,
    outcome         TEXT,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (notice_id, pod_host)
);
CREATE INDEX move_deliveries_due ON move_deliveries (next_attempt_at) WHERE state = 'PENDING';

-- The receiving side: people of other pods who moved, by the notice that said so (a replay finds its row).
CREATE TABLE moved_people (
    old_handle         TEXT        PRIMARY KEY,
    new_handle         TEXT        NOT NULL,
    new_public_key_pem TEXT        NOT NULL,
    -- The key that signed the notice: a replay is checked against it once no contact holds it any more.
    old_public_key_pem TEXT        NOT NULL,
    notice_id          UUID        NOT NULL UNIQUE,
    moved_at           TIMESTAMPTZ NOT NULL,
    received_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Keys of people of other pods as their own pod served them (never from imported contact rows): what checks a
-- move notice, even once the old pod is gone.
CREATE TABLE person_keys (
    handle         TEXT        PRIMARY KEY,
    public_key_pem TEXT        NOT NULL,
    fetched_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The new pod keeps what the old pod reports of the notices' deliveries.
ALTER TABLE import_jobs ADD COLUMN notices_url TEXT, ADD COLUMN notices JSONB;
-- WebFinger names the identity an account was moved here from: one look-up per WebFinger request.
CREATE INDEX import_jobs_moved_from ON import_jobs (account_id, updated_at) WHERE state IN ('FINISHING', 'DONE');
