package dev.bookstore.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bookstore.domain.Keyset;
import dev.bookstore.testkit.ForgedCursors;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CursorTest {

    private static final String LISTING = "books\nUrsula K. Le Guin";
    private static final Keyset KEYSET = new Keyset(Instant.parse("2026-11-25T10:00:00.123456Z"), UUID.randomUUID());

    @Test
    void aCursorDecodesToItsKeysetOnItsOwnListingOnly() {
        String cursor = Cursor.encode(KEYSET, LISTING);

        assertThat(Cursor.decode(cursor, LISTING)).isEqualTo(KEYSET);
        assertThat(Cursor.decode(cursor, "books\n")).isNull();
        assertThat(cursor).matches("[A-Za-z0-9_-]{39}");
    }

    @Test
    void theForgersRangeIsTheCursorsRange() {
        assertThat(ForgedCursors.EARLIEST).isEqualTo(Cursor.EARLIEST);
        assertThat(ForgedCursors.LATEST).isEqualTo(Cursor.LATEST);
    }

    @Test
    void everyForgedCursorIsRefusedBeforeAnyOfItsValuesIsUsed() {
        String real = Cursor.encode(KEYSET, LISTING);

        ForgedCursors.of(real, 14).forEach((how, forged) -> assertThat(Cursor.decode(forged, LISTING)).as(how + ": " + forged).isNull());
    }

    @Test
    void theTimestampsAtEitherEndOfTheRangeAreStillCursors() {
        String real = Cursor.encode(KEYSET, LISTING);

        ForgedCursors.inRange(real).forEach((how, cursor) -> assertThat(Cursor.decode(cursor, LISTING)).as(how).isNotNull());
        assertThat(Cursor.decode(Cursor.encode(new Keyset(Cursor.EARLIEST, KEYSET.id()), LISTING), LISTING).createdAt()).isEqualTo(Cursor.EARLIEST);
        assertThat(Cursor.decode(Cursor.encode(new Keyset(Cursor.LATEST, KEYSET.id()), LISTING), LISTING).createdAt()).isEqualTo(Cursor.LATEST);
    }
}
