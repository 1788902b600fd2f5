-- A book's review count and rating sum, kept on its row so that its detail reads one row whatever its number of
-- reviews (the average was computed over every review on every read). Only living reviews count.
--
-- Kept by statement-level triggers on reviews, in the transaction of the statement that changes them: one UPDATE of
-- books per statement (the rows of a whole batch, grouped by book), in the same round trip as the insert or update,
-- and right whoever changes a review (a writer, a migration, an operator by hand).
ALTER TABLE books
    ADD COLUMN review_count integer NOT NULL DEFAULT 0,
    ADD COLUMN rating_sum bigint NOT NULL DEFAULT 0,
    ADD CONSTRAINT books_review_count_not_negative CHECK (review_count >= 0),
    ADD CONSTRAINT books_rating_sum_not_negative CHECK (rating_sum >= 0);

UPDATE books b
   SET review_count = r.reviews, rating_sum = r.ratings
  FROM (SELECT book_id, count(*) AS reviews, sum(rating) AS ratings
          FROM reviews
         WHERE deleted_at IS NULL
         GROUP BY book_id) r
 WHERE b.id = r.book_id;

-- The change each statement makes to its books' counts: what its new living rows add, less what its old ones took.
-- SECURITY DEFINER: it runs as the schema's owner, so the writer role needs no UPDATE on the two columns and cannot
-- set them by hand; its search_path is fixed, as the PostgreSQL manual asks of such functions.
CREATE FUNCTION books_keep_ratings() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE books b SET review_count = b.review_count + d.reviews, rating_sum = b.rating_sum + d.ratings
          FROM (SELECT book_id, count(*) AS reviews, sum(rating) AS ratings
                  FROM new_reviews WHERE deleted_at IS NULL GROUP BY book_id) d
         WHERE b.id = d.book_id;
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE books b SET review_count = b.review_count + d.reviews, rating_sum = b.rating_sum + d.ratings
          FROM (SELECT book_id, sum(reviews) AS reviews, sum(ratings) AS ratings
                  FROM (SELECT book_id, 1 AS reviews, rating AS ratings FROM new_reviews WHERE deleted_at IS NULL
                        UNION ALL
                        SELECT book_id, -1, -rating FROM old_reviews WHERE deleted_at IS NULL) changes
                 GROUP BY book_id
                HAVING sum(reviews) <> 0 OR sum(ratings) <> 0) d
         WHERE b.id = d.book_id;
    ELSE
        UPDATE books b SET review_count = b.review_count - d.reviews, rating_sum = b.rating_sum - d.ratings
          FROM (SELECT book_id, count(*) AS reviews, sum(rating) AS ratings
                  FROM old_reviews WHERE deleted_at IS NULL GROUP BY book_id) d
         WHERE b.id = d.book_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER reviews_inserted_keep_ratings AFTER INSERT ON reviews
    REFERENCING NEW TABLE AS new_reviews FOR EACH STATEMENT EXECUTE FUNCTION books_keep_ratings();
CREATE TRIGGER reviews_updated_keep_ratings AFTER UPDATE ON reviews
    REFERENCING OLD TABLE AS old_reviews NEW TABLE AS new_reviews FOR EACH STATEMENT EXECUTE FUNCTION books_keep_ratings();
CREATE TRIGGER reviews_deleted_keep_ratings AFTER DELETE ON reviews
    REFERENCING OLD TABLE AS old_reviews FOR EACH STATEMENT EXECUTE FUNCTION books_keep_ratings();

-- Only the triggers call it.
REVOKE EXECUTE ON FUNCTION books_keep_ratings() FROM PUBLIC;
