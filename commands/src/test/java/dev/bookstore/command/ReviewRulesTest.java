package dev.bookstore.command;

import static dev.bookstore.command.BookRulesTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class ReviewRulesTest {

    private static final UUID BOOK = UUID.fromString("0b6c5e7e-8a3b-4a4f-9a51-0c0e1b8f1a10");

    @Test
    void aReviewWithMultilineTextIsValid() {
        Validated<ReviewDraft> review = ReviewRules.request(BOOK, json("{\"reviewer\":\"Ann\",\"rating\":5,\"text\":\"Loved it.\\nTwice.\"}"));

        assertThat(review.value()).isEqualTo(new ReviewDraft(BOOK, "Ann", 5, "Loved it.\nTwice."));
    }

    @Test
    void ratingsAreWholeNumbersFromOneToFive() {
        for (String rating : new String[] {"0", "6", "9", "4.5", "\"5\"", "true", "-1"}) {
            Validated<ReviewDraft> review = ReviewRules.request(BOOK, json("{\"reviewer\":\"Ann\",\"rating\":" + rating + "}"));
            assertThat(review.violations()).as(rating).extracting(Violation::field).containsExactly("rating");
        }
        assertThat(ReviewRules.request(BOOK, json("{\"reviewer\":\"Ann\",\"rating\":1}")).isValid()).isTrue();
    }

    @Test
    void textIsOptionalButNotBlankOrTooLongOrControlCharacters() {
        assertThat(ReviewRules.request(BOOK, json("{\"reviewer\":\"A\",\"rating\":3,\"text\":\" \"}")).violations())
                .extracting(Violation::detail).containsExactly("must not be blank");
        assertThat(ReviewRules.request(BOOK, json("{\"reviewer\":\"A\",\"rating\":3,\"text\":\"" + "x".repeat(501) + "\"}")).violations())
                .extracting(Violation::detail).containsExactly("must be at most 500 characters");
        assertThat(ReviewRules.request(BOOK, json("{\"reviewer\":\"A\",\"rating\":3,\"text\":\"nul\\u0000\"}")).violations())
                .extracting(Violation::field).containsExactly("text");
    }

    @Test
    void theOriginalSamplesShapeUsesItsOwnFieldNames() {
        Validated<ReviewDraft> ok = ReviewRules.legacyRequest(json(
                "{\"book_id\":\"" + BOOK + "\",\"reviewer\":\"Ann\",\"rate\":4,\"review\":\"Good\"}"));
        Validated<ReviewDraft> bad = ReviewRules.legacyRequest(json("{\"book_id\":\"42\",\"reviewer\":\"Ann\",\"rate\":9,\"rating\":4}"));

        assertThat(ok.value()).isEqualTo(new ReviewDraft(BOOK, "Ann", 4, "Good"));
        assertThat(bad.violations()).extracting(Violation::field).containsExactlyInAnyOrder("book_id", "rate", "rating");
    }
}
