package dev.bookstore.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CommandCodecTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
    private final CommandCodec codec = new CommandCodec(CLOCK);

    @Test
    void aBookCommandRoundTrips() {
        CommandEnvelope envelope = CommandEnvelope.of(UUID.randomUUID(), Instant.parse("2026-11-25T09:59:59.123456Z"), "req-1", "key-1",
                new CreateBook(UUID.randomUUID(), "Kindred", "Octavia E. Butler", "Doubleday", 1979, "0385132182"));

        Decoded decoded = codec.decode(codec.encode(envelope));

        assertThat(decoded).isEqualTo(new Decoded.Command(envelope));
    }

    @Test
    void aReviewCommandWithoutOptionalFieldsRoundTrips() {
        CommandEnvelope envelope = CommandEnvelope.of(UUID.randomUUID(), Instant.parse("2026-11-25T09:00:00Z"), "req-2", null,
                new CreateReview(UUID.randomUUID(), UUID.randomUUID(), "Ann", 4, null));

        String json = codec.encode(envelope);

        assertThat(json).doesNotContain("idempotencyKey").doesNotContain("\"text\"");
        assertThat(codec.decode(json)).isEqualTo(new Decoded.Command(envelope));
    }

    @Test
    void changesRoundTripWithAndWithoutAnExpectedVersion() {
        UUID book = UUID.randomUUID();
        UUID review = UUID.randomUUID();
        for (Payload change : new Payload[] {
                new UpdateBook(book, new BookPatch("New title", null, null, 2001, null, true), 3),
                new UpdateBook(book, new BookPatch(null, "A. N. Author", "P", null, "0385132182", false), null),
                new DeleteBook(book, 7),
                new DeleteBook(book, null),
                new UpdateReview(review, book, new ReviewPatch(2, null, true), 1),
                new UpdateReview(review, book, new ReviewPatch(null, "better\non reflection", false), null),
                new DeleteReview(review, book, null)}) {
            CommandEnvelope envelope = CommandEnvelope.of(UUID.randomUUID(), Instant.parse("2026-11-25T09:00:00Z"), "req", null, change);

            assertThat(codec.decode(codec.encode(envelope))).as(change.toString()).isEqualTo(new Decoded.Command(envelope));
        }
    }

    @Test
    void theDocumentedUpdateIsWhatTheCodecWrites() {
        UUID command = UUID.fromString("018f2c1e-7b3a-7c4d-8e5f-6a7b8c9d0e2a");
        UUID book = UUID.fromString("018f2c1e-7b3a-7c4d-8e5f-000000000001");
        CommandEnvelope envelope = CommandEnvelope.of(command, Instant.parse("2026-11-26T08:30:00Z"), "c0ffee00-0000-4000-8000-000000000001",
                null, new UpdateBook(book, new BookPatch("Kindred: A Novel", null, null, null, null, true), 1));

        assertThat(codec.encode(envelope)).isEqualTo("{\"commandId\":\"018f2c1e-7b3a-7c4d-8e5f-6a7b8c9d0e2a\",\"type\":\"UpdateBook\","
                + "\"version\":1,\"issuedAt\":\"2026-11-26T08:30:00Z\",\"correlationId\":\"c0ffee00-0000-4000-8000-000000000001\","
                + "\"payload\":{\"bookId\":\"018f2c1e-7b3a-7c4d-8e5f-000000000001\",\"changes\":{\"title\":\"Kindred: A Novel\","
                + "\"isbn\":null},\"expectedVersion\":1}}");
    }

    @Test
    void theDocumentedEnvelopeIsWhatTheCodecWrites() {
        UUID command = UUID.fromString("018f2c1e-7b3a-7c4d-8e5f-6a7b8c9d0e1f");
        UUID book = UUID.fromString("018f2c1e-7b3a-7c4d-8e5f-000000000001");
        CommandEnvelope envelope = CommandEnvelope.of(command, Instant.parse("2026-11-25T10:00:00Z"), "c0ffee00-0000-4000-8000-000000000000",
                null, new CreateBook(book, "Kindred", "Octavia E. Butler", "Doubleday", 1979, null));

        assertThat(codec.encode(envelope)).isEqualTo("{\"commandId\":\"018f2c1e-7b3a-7c4d-8e5f-6a7b8c9d0e1f\",\"type\":\"CreateBook\","
                + "\"version\":1,\"issuedAt\":\"2026-11-25T10:00:00Z\",\"correlationId\":\"c0ffee00-0000-4000-8000-000000000000\","
                + "\"payload\":{\"bookId\":\"018f2c1e-7b3a-7c4d-8e5f-000000000001\",\"title\":\"Kindred\","
                + "\"author\":\"Octavia E. Butler\",\"publisher\":\"Doubleday\",\"year\":1979}}");
    }

    @Test
    void aBodyThatIsNotJsonIsUndecodable() {
        assertThat(codec.decode("<xml/>")).isInstanceOf(Decoded.Undecodable.class);
        assertThat(codec.decode("")).isInstanceOf(Decoded.Undecodable.class);
        assertThat(codec.decode("[1]")).isInstanceOf(Decoded.Undecodable.class);
        assertThat(codec.decode("{\"type\":\"CreateBook\"}")).isEqualTo(
                new Decoded.Undecodable(null, "the envelope has no commandId in UUID form"));
    }

    @Test
    void anUnknownTypeOrVersionIsUnsupportedNotInvalid() {
        UUID id = UUID.randomUUID();

        assertThat(codec.decode("{\"commandId\":\"" + id + "\",\"type\":\"ArchiveBook\",\"version\":1,\"payload\":{}}"))
                .isEqualTo(new Decoded.Unsupported(id, "ArchiveBook", 1));
        assertThat(codec.decode("{\"commandId\":\"" + id + "\",\"type\":\"CreateBook\",\"version\":2,\"newField\":true}"))
                .isEqualTo(new Decoded.Unsupported(id, "CreateBook", 2));
    }

    @Test
    void aPayloadBreakingARuleIsInvalidWithEveryViolation() {
        UUID id = UUID.randomUUID();
        String body = "{\"commandId\":\"" + id + "\",\"type\":\"CreateReview\",\"version\":1,\"issuedAt\":\"2026-11-25T10:00:00Z\","
                + "\"correlationId\":\"x\",\"payload\":{\"reviewId\":\"" + UUID.randomUUID() + "\",\"bookId\":\"" + UUID.randomUUID()
                + "\",\"reviewer\":\"Ann\",\"rating\":9}}";

        Decoded decoded = codec.decode(body);

        assertThat(decoded).isInstanceOfSatisfying(Decoded.Invalid.class, invalid -> {
            assertThat(invalid.commandId()).isEqualTo(id);
            assertThat(invalid.type()).isEqualTo("CreateReview");
            assertThat(invalid.violations()).extracting(Violation::field).containsExactly("payload.rating");
        });
    }

    @Test
    void missingEnvelopeFieldsAreInvalid() {
        UUID id = UUID.randomUUID();
        Decoded decoded = codec.decode("{\"commandId\":\"" + id + "\",\"type\":\"CreateBook\",\"version\":1,\"extra\":1}");

        assertThat(decoded).isInstanceOfSatisfying(Decoded.Invalid.class, invalid ->
                assertThat(invalid.violations()).extracting(Violation::field)
                        .contains("extra", "issuedAt", "correlationId", "payload."));
    }
}
