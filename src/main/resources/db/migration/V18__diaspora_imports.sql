-- New pod: what an opened file was. TRANSPLANT for an account archive, DIASPORA for a diaspora* export converted
-- into a folder: its old pod closes no account for another pod, so the job asks none to (it tells the contacts'
-- Transplant pods itself, unless the old pod no longer knows the person: then it was a data import only, and the
-- job holds no old key). Null for an import that opened no file.
ALTER TABLE import_jobs ADD COLUMN archive_format TEXT CHECK (archive_format IN ('TRANSPLANT', 'DIASPORA'));
