-- New pod: a third kind of opened file, BACKUP: a packed backup (transplant-backup's zip of a transplant-folder/1
-- folder). It holds no private key, so it signs nothing: the job is an import of the data only (no old key, no
-- revocation, no move notices, no WebFinger alias), and says so from the start (old_account NOT_CLOSED, reason
-- 'backup').
ALTER TABLE import_jobs DROP CONSTRAINT import_jobs_archive_format_check;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_archive_format_check
    CHECK (archive_format IN ('TRANSPLANT', 'DIASPORA', 'BACKUP'));
