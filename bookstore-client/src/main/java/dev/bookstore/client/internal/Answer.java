package dev.bookstore.client.internal;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** One response as received: status, headers and the whole body. */
public record Answer(int status, HttpHeaders headers, byte[] body) {

    private static final int EXCERPT_CHARS = 200;

    public Optional<String> header(String name) {
        return headers.firstValue(name);
    }

    /**
     * How long {@code Retry-After} asks to wait: delay-seconds or an HTTP-date (RFC 9110), read against {@code clock};
     * null when absent or unreadable, so a malformed header costs the back-off, not the call.
     */
    public Duration retryAfter(Clock clock) {
        String value = header("Retry-After").map(String::strip).orElse(null);
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.chars().allMatch(Character::isDigit)) {
            return value.length() > 9 ? null : Duration.ofSeconds(Long.parseLong(value));
        }
        try {
            Duration until = Duration.between(clock.instant(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The start of the body, printable, for a message. */
    public String excerpt() {
        String text = new String(body, StandardCharsets.UTF_8).replaceAll("[^\\x20-\\x7E]", "?");
        return text.length() <= EXCERPT_CHARS ? text : text.substring(0, EXCERPT_CHARS) + "…";
    }
}
