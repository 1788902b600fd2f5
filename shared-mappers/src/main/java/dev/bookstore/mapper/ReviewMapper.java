package dev.bookstore.mapper;

import dev.bookstore.db.Columns;
import dev.bookstore.domain.Keyset;
import dev.bookstore.domain.NewReview;
import dev.bookstore.domain.ReviewOfBook;
import dev.bookstore.domain.StoredReview;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

public interface ReviewMapper {

    /**
     * Inserts the reviews in one statement, skipping any whose command was already applied, and
     * returns how many rows it inserted. Pass them sorted by command id.
     */
    default int insertReviews(List<NewReview> reviews) {
        return insertReviewColumns(columns(reviews));
    }

    /** The parameter of {@link #insertReviewColumns}. */
    static Map<String, List<String>> columns(List<NewReview> reviews) {
        return Columns.of(reviews).column("id", NewReview::id).column("commandId", NewReview::commandId)
                .column("bookId", NewReview::bookId).column("reviewer", NewReview::reviewer).column("rating", NewReview::rating)
                .column("text", NewReview::text).column("issuedAt", NewReview::issuedAt).build();
    }

    /** {@link #insertReviews}, its rows as {@link Columns}. */
    int insertReviewColumns(@Param("c") Map<String, List<String>> columns);

    /** The stored reviews among {@code ids} (not empty), tombstones included, locked FOR UPDATE until the transaction ends. */
    List<StoredReview> lockReviews(@Param("ids") Collection<UUID> ids);

    /** Writes changed reviews (locked by {@link #lockReviews}); a deleted one becomes a tombstone. */
    int updateReviews(@Param("reviews") List<StoredReview> reviews);

    /**
     * One page of a book's living reviews and whether the book exists, in one indexed query: no rows when the
     * book is unknown, one row without a review when it has none after {@code after} or is deleted.
     */
    List<ReviewOfBook> findReviewPage(@Param("bookId") UUID bookId, @Param("after") Keyset after, @Param("limit") int limit);

    /** Which of {@code ids} are stored reviews, tombstones included. */
    List<UUID> findExistingIds(@Param("ids") Collection<UUID> ids);

    /** One review of a book: empty when the book is unknown; a row without a review when the review is not the book's. */
    Optional<ReviewOfBook> findReview(@Param("bookId") UUID bookId, @Param("reviewId") UUID reviewId);
}
