package dev.bookstore.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Merge patches of books and reviews (RFC 7396): absent keeps, a value sets, null removes where removing is allowed. */
class PatchRulesTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void aBookPatchSetsOnlyTheFieldsItNamesAndNullRemovesTheIsbn() {
        Validated<BookPatch> patch = BookRules.patch(json("{\"title\":\" Kindred \",\"isbn\":null}"), CLOCK);

        assertThat(patch.value()).isEqualTo(new BookPatch("Kindred", null, null, null, null, true));
        assertThat(patch.value().fields()).containsExactly("title", "isbn");
    }

    @Test
    void aBookPatchIsHeldToTheRulesOfACreateAndCannotRemoveARequiredField() {
        Validated<BookPatch> patch = BookRules.patch(json("{\"title\":null,\"author\":\"\",\"year\":1200,\"isbn\":\"123\",\"colour\":1}"), CLOCK);

        assertThat(patch.violations()).extracting(Violation::toString).containsExactlyInAnyOrder(
                "colour: is not a known field; known fields are title, author, publisher, year, isbn",
                "title: cannot be removed; leave it out to keep it, or give a new value",
                "author: must not be blank",
                "year: must be between 1450 and 2027",
                "isbn: must be a valid ISBN-10 or ISBN-13 (check digit included)");
    }

    @Test
    void aPatchThatSetsNothingIsRefused() {
        assertThat(BookRules.patch(json("{}"), CLOCK).violations()).extracting(Violation::toString)
                .containsExactly(": a patch must set at least one of title, author, publisher, year, isbn");
        assertThat(ReviewRules.patch(json("{}")).violations()).extracting(Violation::toString)
                .containsExactly(": a patch must set at least one of rating, text");
        assertThat(BookRules.patch(json("[]"), CLOCK).violations()).extracting(Violation::toString)
                .containsExactly(": must be a JSON object");
    }

    @Test
    void aReviewPatchChangesTheRatingOrTheTextAndNullRemovesTheText() {
        assertThat(ReviewRules.patch(json("{\"rating\":2}")).value()).isEqualTo(new ReviewPatch(2, null, false));
        assertThat(ReviewRules.patch(json("{\"text\":null}")).value()).isEqualTo(new ReviewPatch(null, null, true));
        assertThat(ReviewRules.patch(json("{\"text\":\"two\\nlines\"}")).value()).isEqualTo(new ReviewPatch(null, "two\nlines", false));
        assertThat(ReviewRules.patch(json("{\"rating\":null,\"reviewer\":\"me\"}")).violations()).extracting(Violation::field)
                .containsExactlyInAnyOrder("rating", "reviewer");
    }

    @Test
    void aQueuedChangeNamesItsFieldsUnderChanges() {
        Validated<UpdateBook> update = BookRules.updatePayload(json(
                "{\"bookId\":\"3f0c6a1e-5b7d-4e8a-9c2f-1d2e3f4a5b6c\",\"changes\":{\"year\":0},\"expectedVersion\":0}"), CLOCK);

        assertThat(update.violations()).extracting(Violation::field).containsExactlyInAnyOrder("changes.year", "expectedVersion");
        assertThat(ReviewRules.deletePayload(json("{\"reviewId\":\"x\"}")).violations()).extracting(Violation::field)
                .containsExactlyInAnyOrder("reviewId", "bookId");
    }

    @Test
    void ifMatchNamesOneStrongTagOrAny() {
        assertThat(Versions.fromIfMatch("\"3\"")).isEqualTo(3);
        assertThat(Versions.fromIfMatch(" \"12-4-3.75\" ")).isEqualTo(12);
        assertThat(Versions.fromIfMatch("*")).isNull();
        for (String refused : new String[] {"3", "W/\"3\"", "\"3\", \"4\"", "\"0\"", "\"99999999999\"", "\"x\""}) {
            assertThatThrownBy(() -> Versions.fromIfMatch(refused)).as(refused).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static JsonNode json(String text) {
        try {
            return StrictJson.parse(text);
        } catch (StrictJson.MalformedJsonException e) {
            throw new AssertionError(e);
        }
    }
}
