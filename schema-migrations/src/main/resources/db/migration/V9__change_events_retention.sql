-- Change events are kept for the same window as command outcomes (the Retention function's IdempotencyWindowDays,
-- 30 days by default): a follower that stays away longer starts again from the resources themselves. The function
-- walks this index from its oldest end, as it walks the outcomes' (V5).
CREATE INDEX change_events_occurred_at_idx ON change_events (occurred_at);

DO $$
BEGIN
    EXECUTE format('GRANT SELECT, DELETE ON change_events TO %I', '${flyway:database}_retention');
END
$$;
