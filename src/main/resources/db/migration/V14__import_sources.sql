-- New pod: an import reads either an old pod over the Migration API (remote_pod_id) or a folder of the export's
-- files under this pod's data directory (source_folder, relative to <data>/exports). Exactly one of them.
ALTER TABLE import_jobs ALTER COLUMN remote_pod_id DROP NOT NULL;
ALTER TABLE import_jobs ADD COLUMN source_folder TEXT;
ALTER TABLE import_jobs ADD CONSTRAINT import_jobs_one_source
    CHECK ((remote_pod_id IS NULL) <> (source_folder IS NULL));
