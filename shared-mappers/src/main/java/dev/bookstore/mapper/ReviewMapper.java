package dev.bookstore.mapper;

import dev.bookstore.domain.BookMiss;
import dev.bookstore.domain.Keyset;
import dev.bookstore.domain.NewReview;
import dev.bookstore.domain.ReviewOfBook;
import java.util.List;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

public interface ReviewMapper {

    /**
     * Inserts the reviews in one statement, skipping any whose command was already applied, and
     * returns how many rows it inserted. Pass them sorted by command id.
     */
    int insertReviews(@Param("reviews") List<NewReview> reviews);

    /**
     * One page of a book's reviews and whether the book exists, in one indexed query: no rows when the
     * book is unknown, one row without a review when it has none after {@code after}.
     */
    List<ReviewOfBook> findReviewPage(@Param("bookId") UUID bookId, @Param("after") Keyset after, @Param("limit") int limit);

    /**
     * Counts one more delivery that found the review's book missing, for each command (distinct ids),
     * and returns every command's misses so far.
     */
    List<BookMiss> countBookMisses(@Param("misses") List<BookMiss> misses);
}
