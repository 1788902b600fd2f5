package dev.bookstore.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;

/** What makes a review valid, read from each shape a review arrives in. The schema enforces the same limits. */
public final class ReviewRules {

    public static final int REVIEWER_MAX = 100;
    public static final int TEXT_MAX = 500;
    public static final int RATING_MIN = 1;
    public static final int RATING_MAX = 5;

    private static final List<String> REQUEST_FIELDS = List.of("reviewer", "rating", "text");
    private static final List<String> LEGACY_FIELDS = List.of("book_id", "reviewer", "rate", "review");
    private static final List<String> PAYLOAD_FIELDS = List.of("reviewId", "bookId", "reviewer", "rating", "text");
    private static final List<String> UPDATE_FIELDS = List.of("reviewId", "bookId", "changes", "expectedVersion");
    private static final List<String> DELETE_FIELDS = List.of("reviewId", "bookId", "expectedVersion");

    private ReviewRules() {
    }

    /** {@code POST /books/{bookId}/reviews}: the book comes from the path, already checked. */
    public static Validated<ReviewDraft> request(UUID bookId, JsonNode body) {
        FieldReader fields = new FieldReader(body, REQUEST_FIELDS);
        return draft(fields, bookId, "rating", "text");
    }

    /** {@code PUT /review}, the original sample's shape: {@code book_id}, {@code rate} and {@code review}. */
    public static Validated<ReviewDraft> legacyRequest(JsonNode body) {
        FieldReader fields = new FieldReader(body, LEGACY_FIELDS);
        UUID bookId = fields.requiredUuid("book_id");
        return draft(fields, bookId, "rate", "review");
    }

    /** A {@code CreateReview} payload read from a queue; held to the same rules as a request. */
    public static Validated<CreateReview> payload(JsonNode payload) {
        FieldReader fields = new FieldReader(payload, PAYLOAD_FIELDS);
        UUID reviewId = fields.requiredUuid("reviewId");
        UUID bookId = fields.requiredUuid("bookId");
        Validated<ReviewDraft> draft = draft(fields, bookId, "rating", "text");
        return draft.isValid() ? Validated.valid(draft.value().withId(reviewId)) : Validated.invalid(draft.violations());
    }

    /** {@code PATCH /books/{bookId}/reviews/{reviewId}}: a JSON merge patch of the rating and text. */
    public static Validated<ReviewPatch> patch(JsonNode body) {
        return patch(new FieldReader(body, ReviewPatch.FIELDS));
    }

    /** An {@code UpdateReview} payload read from a queue; its changes are held to the same rules as a request's. */
    public static Validated<UpdateReview> updatePayload(JsonNode payload) {
        FieldReader fields = new FieldReader(payload, UPDATE_FIELDS);
        UUID reviewId = fields.requiredUuid("reviewId");
        UUID bookId = fields.requiredUuid("bookId");
        Integer expectedVersion = Versions.expected(fields);
        JsonNode changes = fields.requiredObject("changes");
        Validated<ReviewPatch> patch = changes == null ? null : patch(new FieldReader(changes, ReviewPatch.FIELDS));
        if (patch != null) {
            fields.addAll("changes", patch.violations());
        }
        return fields.violations().isEmpty() ? Validated.valid(new UpdateReview(reviewId, bookId, patch.value(), expectedVersion))
                : Validated.invalid(fields.violations());
    }

    /** A {@code DeleteReview} payload read from a queue. */
    public static Validated<DeleteReview> deletePayload(JsonNode payload) {
        FieldReader fields = new FieldReader(payload, DELETE_FIELDS);
        UUID reviewId = fields.requiredUuid("reviewId");
        UUID bookId = fields.requiredUuid("bookId");
        Integer expectedVersion = Versions.expected(fields);
        return fields.violations().isEmpty() ? Validated.valid(new DeleteReview(reviewId, bookId, expectedVersion))
                : Validated.invalid(fields.violations());
    }

    private static Validated<ReviewPatch> patch(FieldReader fields) {
        fields.notRemovable("rating");
        Integer rating = fields.optionalInt("rating", RATING_MIN, RATING_MAX);
        boolean removesText = fields.isNull("text");
        String text = fields.optionalMultilineText("text", TEXT_MAX);
        if (!fields.violations().isEmpty()) {
            return Validated.invalid(fields.violations());
        }
        ReviewPatch patch = new ReviewPatch(rating, text, removesText);
        if (patch.fields().isEmpty()) {
            return Validated.invalid(List.of(Violation.body("", "a patch must set at least one of " + String.join(", ", ReviewPatch.FIELDS))));
        }
        return Validated.valid(patch);
    }

    private static Validated<ReviewDraft> draft(FieldReader fields, UUID bookId, String ratingField, String textField) {
        String reviewer = fields.requiredText("reviewer", REVIEWER_MAX);
        int rating = fields.requiredInt(ratingField, RATING_MIN, RATING_MAX);
        String text = fields.optionalMultilineText(textField, TEXT_MAX);
        if (!fields.violations().isEmpty()) {
            return Validated.invalid(fields.violations());
        }
        return Validated.valid(new ReviewDraft(bookId, reviewer, rating, text));
    }
}
