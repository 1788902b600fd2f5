package dev.bookstore.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bookstore.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A list of texts through PostgreSQL's text[] and back, as the batch statements bind their columns. */
class TextArrayTypeHandlerIT {

    private final TextArrayTypeHandler handler = new TextArrayTypeHandler();

    @Test
    void textsSurviveTheRoundTripElementForElement() throws Exception {
        List<String> texts = Arrays.asList("Le Guin", "", null, "Ωmega, \"quoted\" {braced}", "back\\slash");
        try (Connection c = TestPostgres.shared().dataSource().getConnection();
             PreparedStatement select = c.prepareStatement("SELECT ?::text[], cardinality(?::text[])")) {
            handler.setParameter(select, 1, texts, null);
            handler.setParameter(select, 2, texts, null);
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                assertThat(handler.getResult(rs, 1)).containsExactlyElementsOf(texts);
                assertThat(rs.getInt(2)).isEqualTo(texts.size());
            }
        }
    }

    @Test
    void aNullArrayReadsAsNull() throws Exception {
        try (Connection c = TestPostgres.shared().dataSource().getConnection();
             PreparedStatement select = c.prepareStatement("SELECT NULL::text[] AS texts")) {
            try (ResultSet rs = select.executeQuery()) {
                rs.next();
                assertThat(handler.getResult(rs, "texts")).isNull();
            }
        }
    }
}
