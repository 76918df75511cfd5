-- New pod: what became of the old account after an archive's import. The new pod asks a live old pod to close it
-- (a revocation signed with the old key): CLOSED; NEWER_CHANGES when it changed after the archive and the person
-- has not chosen yet; KEPT_OPEN when they chose to keep it; VIA_ONLINE_MOVE when they chose to bring the newer
-- changes through an online move (old_account_reason names its job), which closes it; NOT_CLOSED when the old pod
-- did not close it (dead, not a Transplant pod, or refusing; old_account_reason says which, in this pod's words),
-- so the person closes it by hand.
ALTER TABLE import_jobs ADD COLUMN old_account TEXT
    CHECK (old_account IN ('CLOSED', 'NEWER_CHANGES', 'KEPT_OPEN', 'VIA_ONLINE_MOVE', 'NOT_CLOSED'));
ALTER TABLE import_jobs ADD COLUMN old_account_reason TEXT;
-- While NEWER_CHANGES the job keeps the old key (sealed, as during the import) so that the person's choice can
-- still be signed: close it anyway (a revocation, then the move notices) or not (the key is forgotten).
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_key_kept_only_while_choosing
    CHECK (old_key_sealed IS NULL OR state NOT IN ('DONE', 'FAILED', 'ABORTED') OR old_account = 'NEWER_CHANGES');
-- The archive the import came from, by the SHA-256 of its encrypted part: the revocation names it, and the old pod
-- closes an account only for an archive it wrote for that account and the person has not removed.
ALTER TABLE import_jobs ADD COLUMN archive_sha256 TEXT;
-- Old pod: the SHA-256 of an archive's encrypted part, as its identity.json names it.
ALTER TABLE archives ADD COLUMN data_sha256 TEXT;
CREATE INDEX archives_data_sha256 ON archives (account_id, data_sha256);
