-- The cleanup pass deletes stale rows a batch at a time by these times; without an index each batch reads the
-- whole table.
CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE INDEX failed_logins_age ON failed_logins (failed_at);
CREATE INDEX oidc_codes_expiry ON oidc_codes (expires_at);
CREATE INDEX oidc_tokens_expiry ON oidc_tokens (expires_at);
CREATE INDEX oidc_clients_age ON oidc_clients (created_at);
CREATE INDEX oidc_grants_by_client ON oidc_grants (client_id);
