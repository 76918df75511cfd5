-- The old pod's hold (issue 13): while the new pod copies the last changes of a busy account, the old pod holds
-- the account's writes for a short, bounded window (state HOLD until hold_until), then locks it. A hold that was not
-- followed by the move lapses by itself: the first write after hold_until finds the account active again.
-- hold_grant_id names the authorization whose move started the hold (only its client may end it with the move), and
-- holds_taken counts the holds that authorization started, so that a client cannot chain holds for ever.
ALTER TABLE accounts DROP CONSTRAINT accounts_state_check;
ALTER TABLE accounts ADD CONSTRAINT accounts_state_check
    CHECK (state IN ('ACTIVE', 'HOLD', 'MOVING', 'MOVED', 'CLOSED'));
ALTER TABLE accounts ADD COLUMN hold_until TIMESTAMPTZ;
ALTER TABLE accounts ADD COLUMN hold_grant_id BIGINT;
ALTER TABLE accounts ADD COLUMN holds_taken INT NOT NULL DEFAULT 0;
ALTER TABLE accounts ADD CONSTRAINT accounts_hold_has_end CHECK (state <> 'HOLD' OR hold_until IS NOT NULL);
