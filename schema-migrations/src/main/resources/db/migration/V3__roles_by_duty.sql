-- Roles by duty. The migrator's user owns the schema and alone runs DDL; the BookWriter and ReviewWriter
-- functions connect as "<database>_writer", with only the DML their mapper statements run; the QueryApi
-- function connects as "<database>_reader", which can only read. A bug or an injected statement in a
-- function can then do no more than that function's duty: no DELETE, TRUNCATE, DDL or schema history.
--
-- No passwords: on AWS the roles authenticate with IAM through RDS Proxy, which needs membership in
-- rds_iam (Amazon RDS and Aurora only); plain PostgreSQL (the tests, the local runner) has no rds_iam.
-- Roles are cluster-wide, so they are named after the database: two stacks whose databases share one
-- cluster (or the tests' many databases on one server) each get roles of their own, with no grant on the
-- other's tables. Created only if missing, so a database of the same name can be migrated again.
--
-- Grants are per table, derived from shared-mappers' mapper XML: RETURNING needs SELECT, and
-- INSERT ... ON CONFLICT DO UPDATE needs UPDATE. There are no default privileges: a future migration
-- that adds a table, or a mapper statement that needs more, must grant it explicitly, as this one does.
-- Schema public must not let PUBLIC create in it; that is PostgreSQL's default since 15.
DO $$
DECLARE
    duty_role text;
BEGIN
    FOREACH duty_role IN ARRAY ARRAY['${flyway:database}_writer', '${flyway:database}_reader'] LOOP
        -- PostgreSQL would silently cut a longer name, and the two roles could become one.
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
    END LOOP;

    -- BookMapper.insertBooks, ReviewMapper.insertReviews, OutcomeMapper.recordOutcomes: INSERT ... RETURNING;
    -- BookMapper.findExistingIds: SELECT.
    EXECUTE format('GRANT SELECT, INSERT ON books, reviews, command_outcomes TO %I', '${flyway:database}_writer');
    -- ReviewMapper.countBookMisses: INSERT ... ON CONFLICT DO UPDATE ... RETURNING.
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON review_book_waits TO %I', '${flyway:database}_writer');

    -- BookMapper.listBooks and findBookDetail, ReviewMapper.findReviewPage, OutcomeMapper.findOutcomeWithBook.
    EXECUTE format('GRANT SELECT ON books, reviews, command_outcomes TO %I', '${flyway:database}_reader');
END
$$;
