-- The host the consent page showed the person ("you will be sent back to ..."): a move goes there and nowhere else,
-- not to any other host among the client's redirect URIs.
ALTER TABLE oidc_grants ADD COLUMN consented_host TEXT;

-- Grants given before: the host of the redirect URI their last code was issued for, which is the one the consent
-- page showed. A grant without any code stays without a host, and cannot finish a move until the person consents
-- again.
UPDATE oidc_grants g SET consented_host = lower(substring(c.redirect_uri FROM '^[A-Za-z][A-Za-z0-9+.-]*://([^/?#]+)'))
FROM (SELECT DISTINCT ON (grant_id) grant_id, redirect_uri FROM oidc_codes ORDER BY grant_id, created_at DESC) c
WHERE c.grant_id = g.id;
