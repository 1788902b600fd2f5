package dev.bookstore.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/** A review to submit, as {@code POST /books/{bookId}/reviews} takes it (CreateReviewRequest); {@code text} may be null. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NewReview(String reviewer, int rating, String text) {

    public NewReview {
        Objects.requireNonNull(reviewer, "reviewer");
    }

    /** A rating without text. */
    public NewReview(String reviewer, int rating) {
        this(reviewer, rating, null);
    }
}
