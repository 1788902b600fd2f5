package dev.bookstore.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bodies sent are the spec's request schemas exactly (they take no other field), and a merge patch tells a field
 * left out from a field removed.
 */
class WireFormatTest {

    private static final UUID REVIEW = UUID.fromString("5a1d2c3b-4e5f-4a6b-8c7d-9e0f1a2b3c4d");

    private ScriptedServer server;
    private BookstoreClient client;

    @BeforeEach
    void start() throws Exception {
        server = ScriptedServer.start().otherwise(Fixtures.bookAccepted());
        client = BookstoreClient.builder().endpoint(server.uri()).retryPolicy(RetryPolicy.none()).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void createBodiesHoldTheSchemasFieldsAndLeaveOutWhatIsNotGiven() {
        client.createBook(Fixtures.LE_GUIN);
        client.createBook(new NewBook("Kindred", "Octavia E. Butler", "Doubleday", 1979));
        client.createReview(Fixtures.BOOK, new NewReview("Genly Ai", 5, "Cold, and warm."));
        client.createReview(Fixtures.BOOK, new NewReview("Estraven", 4));

        assertThat(server.received()).extracting(ScriptedServer.Received::bodyText).containsExactly(
                "{\"title\":\"The Left Hand of Darkness\",\"author\":\"Ursula K. Le Guin\",\"publisher\":\"Ace Books\",\"year\":1969,"
                        + "\"isbn\":\"978-0-441-47812-5\"}",
                "{\"title\":\"Kindred\",\"author\":\"Octavia E. Butler\",\"publisher\":\"Doubleday\",\"year\":1979}",
                "{\"reviewer\":\"Genly Ai\",\"rating\":5,\"text\":\"Cold, and warm.\"}",
                "{\"reviewer\":\"Estraven\",\"rating\":4}");
        assertThat(server.received()).extracting(ScriptedServer.Received::rawPathAndQuery)
                .containsExactly("/books", "/books", "/books/" + Fixtures.BOOK + "/reviews", "/books/" + Fixtures.BOOK + "/reviews");
    }

    @Test
    void aMergePatchSendsOnlyTheFieldsSetAndNullForARemoval() {
        client.updateReview(Fixtures.BOOK, REVIEW, ReviewPatch.builder().removeText().build());
        client.updateReview(Fixtures.BOOK, REVIEW, ReviewPatch.builder().rating(4).build());
        client.updateBook(Fixtures.BOOK, BookPatch.builder().year(1970).isbn("0-441-47812-3").build());

        assertThat(server.received()).extracting(ScriptedServer.Received::bodyText).containsExactly(
                "{\"text\":null}", "{\"rating\":4}", "{\"year\":1970,\"isbn\":\"0-441-47812-3\"}");
        assertThat(server.received()).allSatisfy(patch -> {
            assertThat(patch.method()).isEqualTo("PATCH");
            assertThat(patch.header("If-Match")).isNull();
        });
        assertThatThrownBy(() -> BookPatch.builder().build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> BookPatch.builder().isbn(null)).hasMessageContaining("removeIsbn()");
    }

    @Test
    void aDeleteHasNoBodyAndCarriesItsPrecondition() {
        client.deleteReview(Fixtures.BOOK, REVIEW, ChangeOptions.ifVersion(2));

        ScriptedServer.Received delete = server.received().get(0);
        assertThat(delete.method()).isEqualTo("DELETE");
        assertThat(delete.rawPathAndQuery()).isEqualTo("/books/" + Fixtures.BOOK + "/reviews/" + REVIEW);
        assertThat(delete.body()).isEmpty();
        assertThat(delete.header("Content-Type")).isNull();
        assertThat(delete.header("If-Match")).isEqualTo("\"2\"");
    }

    @Test
    void aBatchItemIsTheSingleBodyWithItsKey() {
        server.otherwise(ScriptedServer.json(207, "{\"accepted\":0,\"results\":[{\"index\":0,\"status\":400,\"problem\":"
                + "{\"type\":\"" + Problem.VALIDATION_FAILED + "\",\"title\":\"t\",\"status\":400,\"detail\":\"d\"}}]}"));

        client.createReviews(Fixtures.BOOK, List.of(new NewReview("Estraven", 4)), List.of("review-1"));

        assertThat(server.received().get(0).rawPathAndQuery()).isEqualTo("/books/" + Fixtures.BOOK + "/reviews/batch");
        assertThat(server.received().get(0).bodyText())
                .isEqualTo("{\"items\":[{\"reviewer\":\"Estraven\",\"rating\":4,\"idempotencyKey\":\"review-1\"}]}");
    }

    @Test
    void keysAndBatchesTheApiWouldRefuseAreRefusedBeforeSending() {
        assertThatThrownBy(() -> client.createBook(Fixtures.LE_GUIN, "has space")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.createBook(Fixtures.LE_GUIN, "k".repeat(129))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.createBooks(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.createBooks(List.of(Fixtures.LE_GUIN, Fixtures.LE_GUIN), List.of("same", "same")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(server.received()).isEmpty();
    }
}
