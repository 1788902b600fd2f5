package dev.bookstore.command;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class BookRulesTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void aCompleteRequestIsValidAndNormalised() {
        Validated<BookDraft> book = request("""
                {"title":"  The Dispossessed ","author":"Ursula K. Le Guin","publisher":"Harper & Row","year":1974,
                 "isbn":"978-0-306-40615-7"}""");

        assertThat(book.violations()).isEmpty();
        assertThat(book.value()).isEqualTo(new BookDraft("The Dispossessed", "Ursula K. Le Guin", "Harper & Row", 1974, "9780306406157"));
    }

    @Test
    void everyViolationIsReportedAtOnceWithItsField() {
        Validated<BookDraft> book = request("""
                {"title":"","author":123,"year":"1974","isbn":"978-0-306-40615-8","colour":"blue"}""");

        assertThat(book.isValid()).isFalse();
        assertThat(book.violations()).extracting(Violation::field)
                .containsExactlyInAnyOrder("title", "author", "publisher", "year", "isbn", "colour");
        assertThat(book.violations()).allSatisfy(v -> assertThat(v.in()).isEqualTo("body"));
    }

    @Test
    void eachRuleSaysWhatIsWrong() {
        assertThat(detail("{\"title\":\"   \"}", "title")).isEqualTo("must not be blank");
        assertThat(detail("{\"title\":\"" + "x".repeat(201) + "\"}", "title")).isEqualTo("must be at most 200 characters");
        assertThat(detail("{\"author\":\"" + "é".repeat(101) + "\"}", "author")).isEqualTo("must be at most 100 characters");
        assertThat(detail("{\"publisher\":\"Tab\\tbed\"}", "publisher")).isEqualTo("must not contain control characters");
        assertThat(detail("{\"title\":\"\\ud800x\"}", "title")).contains("unpaired surrogate");
        assertThat(detail("{\"title\":\"x\\uffff\"}", "title")).isEqualTo("must be valid Unicode (it holds U+FFFF, which is no character)");
        assertThat(detail("{\"author\":\"\\ufffe\"}", "author")).contains("U+FFFE");
        assertThat(request("{\"title\":\"\\ufffd\",\"author\":\"A\",\"publisher\":\"P\",\"year\":2001}").isValid())
                .as("U+FFFD, the replacement character, is one").isTrue();
        assertThat(detail("{\"year\":1974.5}", "year")).isEqualTo("must be a whole number, was a decimal number");
        assertThat(detail("{\"year\":\"1974\"}", "year")).isEqualTo("must be a whole number, was a string");
        assertThat(detail("{\"year\":1449}", "year")).isEqualTo("must be between 1450 and 2027");
        assertThat(detail("{\"year\":2028}", "year")).isEqualTo("must be between 1450 and 2027");
        assertThat(detail("{\"year\":99999999999999999999}", "year")).isEqualTo("must be between 1450 and 2027");
        assertThat(detail("{\"isbn\":9780060512753}", "isbn")).isEqualTo("must be a string, was a whole number");
        assertThat(detail("{\"isbn\":\"0-306-40615-3\"}", "isbn")).contains("valid ISBN");
        assertThat(detail("{}", "title")).isEqualTo("is required");
        assertThat(detail("{\"title\":null}", "title")).isEqualTo("is required");
    }

    @Test
    void codePointsCountAsOneCharacterEachAsInPostgresql() {
        String emoji = "📚".repeat(200);

        Validated<BookDraft> book = request("{\"title\":\"" + emoji + "\",\"author\":\"A\",\"publisher\":\"P\",\"year\":2001}");

        assertThat(book.violations()).isEmpty();
    }

    @Test
    void anIsbn10WithXAndNoIsbnAtAllAreBothFine() {
        assertThat(request("{\"title\":\"T\",\"author\":\"A\",\"publisher\":\"P\",\"year\":2001,\"isbn\":\"0-8044-2957-x\"}")
                .value().isbn()).isEqualTo("080442957X");
        assertThat(request("{\"title\":\"T\",\"author\":\"A\",\"publisher\":\"P\",\"year\":2001,\"isbn\":null}")
                .value().isbn()).isNull();
    }

    @Test
    void theOriginalSamplesShapeHasNoIsbn() {
        JsonNode withIsbn = json("{\"title\":\"T\",\"author\":\"A\",\"publisher\":\"P\",\"year\":2001,\"isbn\":\"0306406152\"}");
        JsonNode without = json("{\"title\":\"T\",\"author\":\"A\",\"publisher\":\"P\",\"year\":2001}");

        assertThat(BookRules.legacyRequest(without, CLOCK).isValid()).isTrue();
        assertThat(BookRules.legacyRequest(withIsbn, CLOCK).violations()).extracting(Violation::field).containsExactly("isbn");
    }

    @Test
    void theBodyMustBeAnObject() {
        assertThat(BookRules.request(json("[1,2]"), CLOCK).violations())
                .containsExactly(Violation.body("", "must be a JSON object"));
    }

    private static Validated<BookDraft> request(String body) {
        return BookRules.request(json(body), CLOCK);
    }

    private static String detail(String body, String field) {
        return request(body).violations().stream().filter(v -> v.field().equals(field)).findFirst()
                .map(Violation::detail).orElse("(no violation)");
    }

    static JsonNode json(String text) {
        try {
            return StrictJson.parse(text);
        } catch (StrictJson.MalformedJsonException e) {
            throw new AssertionError(e);
        }
    }
}
