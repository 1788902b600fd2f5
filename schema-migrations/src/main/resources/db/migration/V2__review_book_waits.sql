-- How many deliveries of a review found its book missing. A review is rejected BOOK_NOT_FOUND after a few
-- such misses; deliveries that failed for another reason (the database was down) do not count, so an
-- outage cannot use up a review's patience while its book is still on the way.
CREATE TABLE review_book_waits (
    command_id    uuid        PRIMARY KEY,
    book_id       uuid        NOT NULL,
    misses        smallint    NOT NULL,
    last_miss_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT review_book_waits_misses_positive CHECK (misses > 0)
);
