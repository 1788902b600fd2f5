package dev.bookstore.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Year;
import java.util.List;

/** What makes a book valid, read from each shape a book arrives in. The schema enforces the same limits. */
public final class BookRules {

    public static final int TITLE_MAX = 200;
    public static final int AUTHOR_MAX = 100;
    public static final int PUBLISHER_MAX = 100;
    /** Printing with movable type in Europe; earlier works are books too, but their editions are not. */
    public static final int YEAR_MIN = 1450;

    private static final List<String> REQUEST_FIELDS = List.of("title", "author", "publisher", "year", "isbn");
    private static final List<String> LEGACY_FIELDS = List.of("title", "author", "publisher", "year");
    private static final List<String> PAYLOAD_FIELDS = List.of("bookId", "title", "author", "publisher", "year", "isbn");
    private static final List<String> UPDATE_FIELDS = List.of("bookId", "changes", "expectedVersion");
    private static final List<String> DELETE_FIELDS = List.of("bookId", "expectedVersion");

    private BookRules() {
    }

    /** Next year: a book may be announced before it is printed, not further ahead. */
    public static int yearMax(Clock clock) {
        return Year.now(clock).getValue() + 1;
    }

    /** {@code POST /books}. */
    public static Validated<BookDraft> request(JsonNode body, Clock clock) {
        FieldReader fields = new FieldReader(body, REQUEST_FIELDS);
        return draft(fields, clock, fields.optionalIsbn("isbn"));
    }

    /** {@code PUT /book}, the original sample's shape: no ISBN. */
    public static Validated<BookDraft> legacyRequest(JsonNode body, Clock clock) {
        FieldReader fields = new FieldReader(body, LEGACY_FIELDS);
        return draft(fields, clock, null);
    }

    /** A {@code CreateBook} payload read from a queue; held to the same rules as a request. */
    public static Validated<CreateBook> payload(JsonNode payload, Clock clock) {
        FieldReader fields = new FieldReader(payload, PAYLOAD_FIELDS);
        var bookId = fields.requiredUuid("bookId");
        Validated<BookDraft> draft = draft(fields, clock, fields.optionalIsbn("isbn"));
        return draft.isValid() ? Validated.valid(draft.value().withId(bookId)) : Validated.invalid(draft.violations());
    }

    /** {@code PATCH /books/{bookId}}: a JSON merge patch of the book's fields. */
    public static Validated<BookPatch> patch(JsonNode body, Clock clock) {
        return patch(new FieldReader(body, BookPatch.FIELDS), clock);
    }

    /** An {@code UpdateBook} payload read from a queue; its changes are held to the same rules as a request's. */
    public static Validated<UpdateBook> updatePayload(JsonNode payload, Clock clock) {
        FieldReader fields = new FieldReader(payload, UPDATE_FIELDS);
        var bookId = fields.requiredUuid("bookId");
        Integer expectedVersion = Versions.expected(fields);
        JsonNode changes = fields.requiredObject("changes");
        Validated<BookPatch> patch = changes == null ? null : patch(new FieldReader(changes, BookPatch.FIELDS), clock);
        if (patch != null) {
            fields.addAll("changes", patch.violations());
        }
        return fields.violations().isEmpty() ? Validated.valid(new UpdateBook(bookId, patch.value(), expectedVersion))
                : Validated.invalid(fields.violations());
    }

    /** A {@code DeleteBook} payload read from a queue. */
    public static Validated<DeleteBook> deletePayload(JsonNode payload) {
        FieldReader fields = new FieldReader(payload, DELETE_FIELDS);
        var bookId = fields.requiredUuid("bookId");
        Integer expectedVersion = Versions.expected(fields);
        return fields.violations().isEmpty() ? Validated.valid(new DeleteBook(bookId, expectedVersion)) : Validated.invalid(fields.violations());
    }

    private static Validated<BookPatch> patch(FieldReader fields, Clock clock) {
        for (String required : List.of("title", "author", "publisher", "year")) {
            fields.notRemovable(required);
        }
        String title = fields.optionalText("title", TITLE_MAX);
        String author = fields.optionalText("author", AUTHOR_MAX);
        String publisher = fields.optionalText("publisher", PUBLISHER_MAX);
        Integer year = fields.optionalInt("year", YEAR_MIN, yearMax(clock));
        boolean removesIsbn = fields.isNull("isbn");
        String isbn = fields.optionalIsbn("isbn");
        if (!fields.violations().isEmpty()) {
            return Validated.invalid(fields.violations());
        }
        BookPatch patch = new BookPatch(title, author, publisher, year, isbn, removesIsbn);
        if (patch.fields().isEmpty()) {
            return Validated.invalid(List.of(Violation.body("", "a patch must set at least one of " + String.join(", ", BookPatch.FIELDS))));
        }
        return Validated.valid(patch);
    }

    private static Validated<BookDraft> draft(FieldReader fields, Clock clock, String isbn) {
        String title = fields.requiredText("title", TITLE_MAX);
        String author = fields.requiredText("author", AUTHOR_MAX);
        String publisher = fields.requiredText("publisher", PUBLISHER_MAX);
        int year = fields.requiredInt("year", YEAR_MIN, yearMax(clock));
        if (!fields.violations().isEmpty()) {
            return Validated.invalid(fields.violations());
        }
        return Validated.valid(new BookDraft(title, author, publisher, year, isbn));
    }
}
