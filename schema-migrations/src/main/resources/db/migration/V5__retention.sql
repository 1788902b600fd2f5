-- Retention: the Retention function deletes command outcomes and review waits older than the idempotency window,
-- oldest first, a small batch per transaction. These indexes let each batch find its oldest rows without reading
-- the table. Built without CONCURRENTLY (which Flyway cannot run inside its transaction), each holds off writes to
-- its table while it builds: on a large command_outcomes the first deploy stalls the writers for that long, and SQS
-- redelivers what times out.
CREATE INDEX command_outcomes_recorded_at_idx ON command_outcomes (recorded_at);
CREATE INDEX review_book_waits_last_miss_at_idx ON review_book_waits (last_miss_at);

-- Its role, by duty as in V3: "<database>_retention" reads and deletes the two tables it clears, and does nothing
-- else. It holds no UPDATE, so it cannot lock rows with SELECT ... FOR UPDATE (PostgreSQL asks UPDATE privilege of
-- every row-locking clause): RetentionMapper's deletes take their row locks by deleting.
DO $$
DECLARE
    duty_role text := '${flyway:database}_retention';
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

    -- RetentionMapper.deleteOutcomesRecordedBefore and deleteWaitsLastMissedBefore: DELETE ... WHERE ... IN (SELECT ...).
    EXECUTE format('GRANT SELECT, DELETE ON command_outcomes, review_book_waits TO %I', duty_role);
END
$$;
