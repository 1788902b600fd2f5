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

        assertThat(codec.decode("{\"commandId\":\"" + id + "\",\"type\":\"DeleteBook\",\"version\":1,\"payload\":{}}"))
                .isEqualTo(new Decoded.Unsupported(id, "DeleteBook", 1));
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
