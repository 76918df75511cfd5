-- The pod as OpenID Connect provider: its signing keys, registered clients, pending consents, codes, grants and
-- tokens. Secrets (client secrets, codes, refresh tokens) are stored as SHA-256 hashes only.

CREATE TABLE oidc_signing_keys (
    kid             TEXT PRIMARY KEY,
    public_key_pem  TEXT        NOT NULL,
    private_key_pem TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- A retired key signs nothing new but stays in the JWKS until the tokens it signed have expired.
    retired_at      TIMESTAMPTZ
);

CREATE TABLE oidc_clients (
    client_id                  TEXT PRIMARY KEY,
    secret_hash                TEXT,
    client_name                TEXT        NOT NULL,
    redirect_uris              TEXT[]      NOT NULL,
    grant_types                TEXT[]      NOT NULL,
    token_endpoint_auth_method TEXT        NOT NULL
        CHECK (token_endpoint_auth_method IN ('client_secret_basic', 'client_secret_post', 'none')),
    client_uri                 TEXT,
    software_id                TEXT,
    created_at                 TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- What a person agreed to: one row per account and client, the scopes and (for backup:read) the time span.
CREATE TABLE oidc_grants (
    id         BIGSERIAL PRIMARY KEY,
    account_id BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    client_id  TEXT        NOT NULL REFERENCES oidc_clients (client_id) ON DELETE CASCADE,
    scope      TEXT        NOT NULL,
    span_from  TIMESTAMPTZ,
    span_until TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at TIMESTAMPTZ
);
CREATE INDEX oidc_grants_by_account ON oidc_grants (account_id, client_id);

-- Authorization codes: single use, short-lived, bound to client, redirect URI and PKCE challenge.
CREATE TABLE oidc_codes (
    code_hash      TEXT PRIMARY KEY,
    grant_id       BIGINT      NOT NULL REFERENCES oidc_grants (id) ON DELETE CASCADE,
    client_id      TEXT        NOT NULL,
    account_id     BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    redirect_uri   TEXT        NOT NULL,
    scope          TEXT        NOT NULL,
    nonce          TEXT,
    code_challenge TEXT        NOT NULL,
    auth_time      TIMESTAMPTZ NOT NULL,
    expires_at     TIMESTAMPTZ NOT NULL,
    used_at        TIMESTAMPTZ,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Access tokens (JWTs, by jti) and refresh tokens (opaque, by hash). A refresh family shares one family id so
-- that reuse of a rotated refresh token revokes the whole family (OAuth 2.0 Security BCP, refresh rotation).
CREATE TABLE oidc_tokens (
    id         TEXT PRIMARY KEY,
    kind       TEXT        NOT NULL CHECK (kind IN ('access', 'refresh')),
    grant_id   BIGINT      NOT NULL REFERENCES oidc_grants (id) ON DELETE CASCADE,
    account_id BIGINT      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    client_id  TEXT        NOT NULL,
    scope      TEXT        NOT NULL,
    family_id  TEXT        NOT NULL,
    code_hash  TEXT,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX oidc_tokens_by_grant ON oidc_tokens (grant_id);
CREATE INDEX oidc_tokens_by_code ON oidc_tokens (code_hash);
CREATE INDEX oidc_tokens_by_family ON oidc_tokens (family_id);
