-- What an import left out of the account and why (a record that failed validation, a guid that belongs to someone
-- else's content here, an author this pod cannot vouch for), written in the transaction of the page it came with.
CREATE TABLE import_left_out (
    id         BIGSERIAL PRIMARY KEY,
    job_id     TEXT        NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
    collection TEXT        NOT NULL,
    item_key   TEXT        NOT NULL,
    reason     TEXT        NOT NULL,
    at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX import_left_out_by_job ON import_left_out (job_id, id);
