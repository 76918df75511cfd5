-- New pod: what became of the old account after an archive's import. The new pod asks a live old pod to close it
-- (a revocation signed with the old key): CLOSED; NEWER_CHANGES when it changed after the archive and the person
-- has not chosen yet; KEPT_OPEN when they chose to keep it; VIA_ONLINE_MOVE when they chose to bring the newer
-- changes through an online move (old_account_reason names its job), which closes it; NOT_CLOSED when the old pod
-- did not close it (dead, not a Transplant pod, or refusing; old_account_reason says which, in this pod's words),
-- so the person closes it by hand.
ALTER TABLE import_jobs ADD COLUMN old_account TEXT
    CHECK (old_account IN ('CLOSED', 'NEWER_CHANGES', 'KEPT_OPEN', 'VIA_ONLINE_MOVE', 'NOT_CLOSED'));
ALTER TABLE import_jobs ADD COLUMN old_account_reason TEXT;
-- While NEWER_CHANGES: the revocation that closes the old account despite them, signed when the old key was still
-- here (it is not kept), valid for days; sent only if the person chooses so, and forgotten once they chose or it
-- expired.
ALTER TABLE import_jobs ADD COLUMN close_despite_newer TEXT;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_close_only_while_newer
    CHECK (close_despite_newer IS NULL OR old_account = 'NEWER_CHANGES');
