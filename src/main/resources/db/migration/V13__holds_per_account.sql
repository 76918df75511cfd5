-- Holds are counted on the account, whichever authorization asks (an app holding two grants could otherwise take
-- turns and hold the person's writes for ever): holds_taken counts the holds started since holds_since, the first
-- hold of the current period; a hold after that period starts a new count.
ALTER TABLE accounts ADD COLUMN holds_since TIMESTAMPTZ;
