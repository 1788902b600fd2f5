-- Updates and deletions (UpdateBook, DeleteBook, UpdateReview, DeleteReview) that apply in order, exactly once, over a
-- standard queue. Every book and review gets:
--   version       1 when created, one more for each change command applied to it (the ETag, and If-Match's subject);
--   issued_at     the order key of the command that created it (NULL for rows created before this migration: the
--                 writers then read created_at, which is later than the true key, so such a row's fields count as set
--                 a little later than they were);
--   field_stamps  per field, the order key ({"at": issuedAt, "by": commandId}) of the newest command that set it, for
--                 the fields set since creation: a patch older than that stamp leaves the field as it is;
--   updated_at    when a change was last applied (NULL: never);
--   deleted_at    the tombstone: a deleted book or review keeps its id for good and is left out of every read.
-- All are added without rewriting the tables (constant defaults, nullable columns).
ALTER TABLE books
    ADD COLUMN version      integer     NOT NULL DEFAULT 1,
    ADD COLUMN issued_at    timestamptz,
    ADD COLUMN field_stamps jsonb       NOT NULL DEFAULT '{}',
    ADD COLUMN updated_at   timestamptz,
    ADD COLUMN deleted_at   timestamptz,
    ADD CONSTRAINT books_version_positive CHECK (version >= 1);

-- A withdrawn review keeps no personal data: its reviewer and text are erased with the tombstone.
ALTER TABLE reviews
    ALTER COLUMN reviewer DROP NOT NULL,
    ADD COLUMN version      integer     NOT NULL DEFAULT 1,
    ADD COLUMN issued_at    timestamptz,
    ADD COLUMN field_stamps jsonb       NOT NULL DEFAULT '{}',
    ADD COLUMN updated_at   timestamptz,
    ADD COLUMN deleted_at   timestamptz,
    ADD CONSTRAINT reviews_version_positive CHECK (version >= 1),
    ADD CONSTRAINT reviews_reviewer_kept    CHECK (reviewer IS NOT NULL OR deleted_at IS NOT NULL);

-- What a change command found and left: the version it found (its If-Match is compared with that), the version after
-- it, and the fields it set ('' when newer commands had set every field it names). NULL for other commands.
ALTER TABLE command_outcomes
    ADD COLUMN found_version    integer,
    ADD COLUMN resource_version integer,
    ADD COLUMN changed_fields   varchar(100);

-- The reads leave tombstones out; their indexes now hold only the living rows, so lists and ratings stay index scans
-- (index-only where they were) however many rows are deleted.
DROP INDEX books_newest_idx;
DROP INDEX books_by_author_newest_idx;
DROP INDEX reviews_of_book_newest_idx;
CREATE INDEX books_newest_idx           ON books (created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX books_by_author_newest_idx ON books (author, created_at DESC, id DESC) WHERE deleted_at IS NULL;
CREATE INDEX reviews_of_book_newest_idx ON reviews (book_id, created_at DESC, id DESC) INCLUDE (rating) WHERE deleted_at IS NULL;

-- A change command waits for its book or review as a review waits for its book: one table for every wait.
ALTER TABLE review_book_waits RENAME TO command_waits;
ALTER TABLE command_waits RENAME COLUMN book_id TO awaited_id;
ALTER TABLE command_waits RENAME CONSTRAINT review_book_waits_misses_positive TO command_waits_misses_positive;
ALTER INDEX review_book_waits_pkey RENAME TO command_waits_pkey;
ALTER INDEX review_book_waits_last_miss_at_idx RENAME TO command_waits_last_miss_at_idx;

-- The writer role applies changes: it locks the rows it changes (SELECT ... FOR UPDATE, and FOR SHARE on a review's
-- book, both of which PostgreSQL grants only with UPDATE) and updates only the columns a change may touch; it
-- completes each change's outcome, claimed first with the rest of its batch. Still no DELETE: a deletion is a tombstone.
DO $$
BEGIN
    EXECUTE format('GRANT UPDATE (title, author, publisher, year, isbn, version, field_stamps, updated_at, deleted_at) '
        || 'ON books TO %I', '${flyway:database}_writer');
    EXECUTE format('GRANT UPDATE (reviewer, rating, text, version, field_stamps, updated_at, deleted_at) '
        || 'ON reviews TO %I', '${flyway:database}_writer');
    EXECUTE format('GRANT UPDATE (status, reason, detail, found_version, resource_version, changed_fields) '
        || 'ON command_outcomes TO %I', '${flyway:database}_writer');
END
$$;
