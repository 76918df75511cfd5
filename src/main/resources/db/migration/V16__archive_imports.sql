-- New pod: an import read from an opened account archive. Its folder is the pod's own (unpacked from the archive,
-- removed when the job ends) and the archive's signature by the old key proves the old identity, as an old pod's
-- log-in does.
ALTER TABLE import_jobs ADD COLUMN from_archive BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_archive_is_a_folder
    CHECK (NOT from_archive OR source_folder IS NOT NULL);
-- The old identity's private key from the archive (sealed by the pod's vault), kept only until the move notices it
-- signs are written: the old pod may be dead, so the new pod tells the contacts' pods in its name.
ALTER TABLE import_jobs ADD COLUMN old_key_sealed TEXT;
-- Whether the archive's key matched a key the network knows for the old identity (held here, or served by the old
-- pod): an archive is signed by the key it carries, so only then does it prove the old identity here.
ALTER TABLE import_jobs ADD COLUMN old_key_matched BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_old_key_only_from_archive
    CHECK (old_key_sealed IS NULL OR from_archive);

-- An archive being uploaded in parts (each within the pod's body limit), before anyone has an account here: its
-- id is the capability to add to it and to import it. Removed with its file once imported or past its time.
CREATE TABLE archive_uploads (
    id          TEXT        PRIMARY KEY,
    bytes       BIGINT      NOT NULL CHECK (bytes > 0),
    received    BIGINT      NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= bytes),
    client      TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX archive_uploads_expiry ON archive_uploads (expires_at);
