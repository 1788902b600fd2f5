-- Changes out: every applied change as an event, written by the writer in the transaction that makes the change (a
-- transactional outbox), so an event exists exactly when its change is committed. One event per command that changed
-- a book or review; none for a duplicate, a rejection or a patch that changed nothing (docs/events.md).
--
--   seq         the feed's order: 1, 2, 3, ... in commit order, without gaps. Taken from change_feed_position by an
--               UPDATE of its one row in the writing transaction, whose row lock is held until that transaction ends:
--               the next writer takes its numbers only after this one committed (or rolled back, giving them back), so
--               a reader that has seen seq n has seen every event below it, and one who comes back later misses none.
--               A sequence would hand out numbers in the order transactions ask, not the order they commit, and
--               nextval() pins the connection to the session at RDS Proxy; an UPDATE does neither.
--   event_id    derived from the command id: however often the command is delivered, its event has one id.
--   data        the book or review after the change, as the API shows it (without its timestamps: occurred_at is
--               when the change was applied, the same transaction time the row's created_at or updated_at takes).
CREATE TABLE change_events (
    seq            bigint       PRIMARY KEY,
    event_id       uuid         NOT NULL UNIQUE,
    type           varchar(20)  NOT NULL,
    book_id        uuid         NOT NULL,
    review_id      uuid,
    version        integer      NOT NULL,
    command_id     uuid         NOT NULL UNIQUE,
    correlation_id varchar(128),
    occurred_at    timestamptz  NOT NULL DEFAULT now(),
    data           jsonb        NOT NULL,
    CONSTRAINT change_events_version_positive CHECK (version >= 1)
);

-- One event per version of a resource: a second writer of the same version is a bug, and fails its transaction.
CREATE UNIQUE INDEX change_events_book_version_idx ON change_events (book_id, version) WHERE review_id IS NULL;
CREATE UNIQUE INDEX change_events_review_version_idx ON change_events (review_id, version) WHERE review_id IS NOT NULL;
-- A book's own feed (its events and its reviews'), in feed order.
CREATE INDEX change_events_of_book_idx ON change_events (book_id, seq);

CREATE TABLE change_feed_position (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    last_seq bigint  NOT NULL CHECK (last_seq >= 0)
);
INSERT INTO change_feed_position (only_row, last_seq) VALUES (true, 0);

DO $$
BEGIN
    EXECUTE format('GRANT SELECT, INSERT ON change_events TO %I', '${flyway:database}_writer');
    EXECUTE format('GRANT SELECT, UPDATE (last_seq) ON change_feed_position TO %I', '${flyway:database}_writer');
    EXECUTE format('GRANT SELECT ON change_events TO %I', '${flyway:database}_reader');
END
$$;
