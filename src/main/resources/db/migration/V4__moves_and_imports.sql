-- Moving an account between pods. The old pod keeps where a moved account went (no redirect table: the new URL of
-- a post is a pattern over its guid); the new pod keeps the pods it is a client of and its import jobs.

-- Old pod: where the account went, and the nonce a migration grant hands out for its move call.
ALTER TABLE accounts ADD COLUMN moved_to_profile_url TEXT;
ALTER TABLE accounts ADD COLUMN moved_to_post_url TEXT;
ALTER TABLE accounts ADD COLUMN moved_to_photo_url TEXT;
ALTER TABLE accounts ADD COLUMN moved_at TIMESTAMPTZ;
-- When the old copies were purged (after the retention period); the rows that redirects need stay.
ALTER TABLE accounts ADD COLUMN purged_at TIMESTAMPTZ;
ALTER TABLE oidc_grants ADD COLUMN move_nonce TEXT;

-- New pod: the old pods it registered with (RFC 7591), once per pod, reused by every import from there.
CREATE TABLE remote_pods (
    id                BIGSERIAL PRIMARY KEY,
    issuer            TEXT        NOT NULL UNIQUE,
    client_id         TEXT        NOT NULL,
    client_secret     TEXT        NOT NULL,
    -- In the redirect URI registered with that pod, so a callback names the pod it comes from.
    callback_key      TEXT        NOT NULL UNIQUE,
    registered_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- New pod: one import, a durable state machine. Tokens are encrypted at rest; the cursor of the collection being
-- read is committed with the rows it covers, so a killed pod resumes where it stopped.
CREATE TABLE import_jobs (
    id               TEXT PRIMARY KEY,
    account_id       BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    old_handle       TEXT        NOT NULL,
    new_handle       TEXT        NOT NULL,
    remote_pod_id    BIGINT      NOT NULL REFERENCES remote_pods (id),
    photo_mode       TEXT        NOT NULL CHECK (photo_mode IN ('COPY', 'LINK', 'SKIP')),
    state            TEXT        NOT NULL CHECK (state IN ('REQUESTED', 'AUTHORIZED', 'IMPORTING', 'FINISHING',
                                                  'DONE', 'FAILED', 'ABORTED', 'NEEDS_CONSENT')),
    access_token     TEXT,
    refresh_token    TEXT,
    token_expires_at TIMESTAMPTZ,
    snapshot         BIGINT,
    -- Set while copying what changed on the old pod after an earlier snapshot (before the move call succeeds).
    delta_after      BIGINT,
    totals           JSONB       NOT NULL DEFAULT '{}',
    done             JSONB       NOT NULL DEFAULT '{}',
    phase            TEXT,
    cursor           TEXT,
    error            TEXT,
    attempts         INT         NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    lease_owner      TEXT,
    lease_until      TIMESTAMPTZ,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX import_jobs_due ON import_jobs (next_attempt_at) WHERE state IN ('AUTHORIZED', 'IMPORTING', 'FINISHING');
CREATE UNIQUE INDEX import_jobs_one_running ON import_jobs (account_id)
    WHERE state IN ('REQUESTED', 'AUTHORIZED', 'IMPORTING', 'FINISHING', 'NEEDS_CONSENT');

-- New pod: a photo the person chose to keep on the old pod is a link to its bytes there, not a file here.
ALTER TABLE photos ADD COLUMN remote_url TEXT;
ALTER TABLE photos ALTER COLUMN file_name DROP NOT NULL;
ALTER TABLE photos ADD CONSTRAINT photos_file_or_link CHECK (file_name IS NOT NULL OR remote_url IS NOT NULL);
