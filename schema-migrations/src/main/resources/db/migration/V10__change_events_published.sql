-- Push: the EventPublisher function sends each change event to the stack's EventBridge bus and then marks it
-- published, in the transaction that claimed it (docs/events.md). A crash between the send and the commit leaves
-- the mark unwritten and the event is sent again: at least once, and consumers dedupe on eventId.
--
-- Events written before this migration are marked published as of now: the bus did not exist when they happened and
-- no subscriber could have been waiting for them; the change feed still has them.
ALTER TABLE change_events ADD COLUMN published_at timestamptz;
UPDATE change_events SET published_at = now();

-- What is left to publish, oldest first, without reading the published rest: the index holds only unpublished rows.
CREATE INDEX change_events_unpublished_idx ON change_events (seq) WHERE published_at IS NULL;

-- Its role, by duty as in V3 and V5: "<database>_publisher" reads the events and sets published_at, and nothing else.
-- UPDATE of that one column is also what lets it lock the rows it claims (SELECT ... FOR UPDATE asks UPDATE privilege
-- of at least one column).
DO $$
DECLARE
    duty_role text := '${flyway:database}_publisher';
BEGIN
    IF octet_length(duty_role) > 63 THEN
        RAISE EXCEPTION 'role name % is longer than 63 bytes; use a shorter database name', duty_role;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = duty_role) THEN
        EXECUTE format('CREATE ROLE %I LOGIN', duty_role);
    END IF;
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'rds_iam') THEN
        EXECUTE format('GRANT rds_iam TO %I', duty_role);
    END IF;
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), duty_role);
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', duty_role);

    -- ChangeEventMapper.claimUnpublished (SELECT ... FOR UPDATE SKIP LOCKED) and markPublished.
    EXECUTE format('GRANT SELECT, UPDATE (published_at) ON change_events TO %I', duty_role);
END
$$;
