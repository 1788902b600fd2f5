package dev.bookstore.ingest;

import static dev.bookstore.ingest.Fixtures.body;
import static dev.bookstore.ingest.Fixtures.event;
import static dev.bookstore.ingest.Fixtures.withHeader;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.bookstore.command.CommandCodec;
import dev.bookstore.config.Settings;
import dev.bookstore.testkit.TestLambdaContext;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every way a request is refused. The publisher points at a closed port: a request that wrongly got
 * as far as queueing would come back 503, not the 4xx these tests expect.
 */
class IngestApiTest {

    private final IngestApi api = api();

    static IngestApi api() {
        IngestConfig config = IngestConfig.from(new Settings(Map.of(
                IngestConfig.BOOKS_QUEUE_URL, "http://127.0.0.1:1/000000000000/books-commands",
                IngestConfig.REVIEWS_QUEUE_URL, "http://127.0.0.1:1/000000000000/reviews-commands",
                IngestConfig.SQS_ENDPOINT, "http://127.0.0.1:1")));
        Clock clock = Clock.systemUTC();
        return new IngestApi(new CommandPublisher(CommandPublisher.client(config), config, new CommandCodec(clock)),
                new IdempotencyKeys(), clock);
    }

    @Test
    void anInvalidBookIsA400ListingEveryField() {
        APIGatewayProxyResponseEvent response = handle(event("post-books",
                "{\"title\":\"\",\"author\":\"" + "a".repeat(101) + "\",\"year\":1200,\"isbn\":\"123\",\"pages\":3}"));

        JsonNode problem = body(response);
        assertThat(response.getStatusCode()).isEqualTo(400);
        assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
        assertThat(problem.get("type").asText()).isEqualTo("urn:bookstore:problem:validation-failed");
        assertThat(problem.get("status").asInt()).isEqualTo(400);
        assertThat(problem.get("instance").asText()).isEqualTo("/books");
        assertThat(problem.get("correlationId").asText()).isEqualTo("77375676-0c1d-4b79-853a-f982474efe18");
        assertThat(problem.get("errors")).extracting(e -> e.get("field").asText())
                .containsExactlyInAnyOrder("title", "author", "publisher", "year", "isbn", "pages");
    }

    @Test
    void jsonTypesAreCheckedNotCoerced() {
        APIGatewayProxyResponseEvent decimal = handle(event("post-review", "{\"reviewer\":\"Ann\",\"rating\":4.5}"));
        APIGatewayProxyResponseEvent text = handle(event("post-review", "{\"reviewer\":\"Ann\",\"rating\":\"5\"}"));

        assertThat(fields(decimal)).containsExactly("rating");
        assertThat(fields(text)).containsExactly("rating");
        assertThat(body(text).at("/errors/0/detail").asText()).isEqualTo("must be a whole number, was a string");
    }

    @Test
    void aBookIdThatIsNotAUuidIsReportedWithTheBodysViolations() {
        APIGatewayProxyRequestEvent request = event("post-review", "{\"rating\":9}");
        request.setPathParameters(Map.of("bookId", "not-a-uuid"));

        JsonNode problem = body(handle(request));

        assertThat(problem.get("errors")).extracting(e -> e.get("field").asText() + "@" + e.get("in").asText())
                .containsExactlyInAnyOrder("bookId@path", "reviewer@body", "rating@body");
    }

    @Test
    void theOriginalSamplesRoutesHaveTheSameRulesUnderTheirOwnFieldNames() {
        assertThat(fields(handle(event("put-review", "{\"book_id\":\"x\",\"reviewer\":\" \",\"rate\":0,\"review\":\"\"}"))))
                .containsExactlyInAnyOrder("book_id", "reviewer", "rate", "review");
        assertThat(fields(handle(event("put-book", "{\"title\":\"T\",\"author\":\"A\",\"publisher\":\"P\",\"year\":1999,\"isbn\":\"x\"}"))))
                .containsExactly("isbn");
    }

    @Test
    void malformedJsonIsA400ThatSaysWhere() {
        for (String body : new String[] {"{\"title\":", "{'title':'x'}", "{\"a\":1}{\"b\":2}", "{\"a\":1,\"a\":2}", "", "   "}) {
            APIGatewayProxyResponseEvent response = handle(event("post-books", body));
            assertThat(response.getStatusCode()).as(body).isEqualTo(400);
            assertThat(body(response).get("type").asText()).as(body).isEqualTo("urn:bookstore:problem:malformed-json");
        }
    }

    @Test
    void deepNestingAndHugeNumbersAreRefusedBeforeValidation() {
        String deep = "{\"title\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        String huge = "{\"year\":" + "9".repeat(5000) + "}";

        assertThat(body(handle(event("post-books", deep))).get("detail").asText()).contains("nesting depth");
        assertThat(body(handle(event("post-books", huge))).get("detail").asText()).contains("Number value length");
    }

    @Test
    void aBodyOver64KibIsA413() {
        String big = "{\"title\":\"" + "x".repeat(64 * 1024) + "\"}";

        APIGatewayProxyResponseEvent response = handle(event("post-books", big));

        assertThat(response.getStatusCode()).isEqualTo(413);
        assertThat(body(response).get("type").asText()).isEqualTo("urn:bookstore:problem:payload-too-large");
    }

    @Test
    void aBodyThatIsNotJsonByItsContentTypeIsA415() {
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1",
                "application/xml"}) {
            APIGatewayProxyResponseEvent response = handle(withHeader(event("post-books"), "Content-Type", type));
            assertThat(response.getStatusCode()).as(type).isEqualTo(415);
        }
        assertThat(handle(withHeader(event("post-books", "{}"), "content-type", "application/merge-patch+json")).getStatusCode())
                .as("JSON, but not what openapi.yaml lists for a create").isEqualTo(415);
        assertThat(handle(withHeader(event("patch-book", "{}"), "content-type", "application/json")).getStatusCode())
                .as("a change takes application/json as well as merge-patch+json").isEqualTo(400);
        assertThat(handle(withHeader(event("post-books", "{}"), "Content-Type", "Application/JSON; Charset=\"UTF-8\"")).getStatusCode())
                .isEqualTo(400);
    }

    @Test
    void aBase64BodyIsDecodedAndInvalidUtf8IsRefused() {
        APIGatewayProxyRequestEvent valid = event("post-books").withIsBase64Encoded(true)
                .withBody(Base64.getEncoder().encodeToString("{\"title\":1}".getBytes(StandardCharsets.UTF_8)));
        APIGatewayProxyRequestEvent invalid = event("post-books").withIsBase64Encoded(true)
                .withBody(Base64.getEncoder().encodeToString(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}));

        assertThat(fields(handle(valid))).contains("title", "author");
        assertThat(body(handle(invalid)).get("detail").asText()).isEqualTo("the body is not valid UTF-8");
    }

    @Test
    void anIdempotencyKeyMustBeVisibleAscii() {
        for (String key : new String[] {"", "has space", "é", "x".repeat(129), "tab\t"}) {
            APIGatewayProxyResponseEvent response = handle(withHeader(event("post-books"), "Idempotency-Key", key));
            assertThat(body(response).get("errors")).as("key «%s»", key)
                    .anySatisfy(e -> assertThat(e.get("field").asText() + "@" + e.get("in").asText()).isEqualTo("Idempotency-Key@header"));
        }
    }

    @Test
    void anUnknownRouteIsA404Problem() {
        APIGatewayProxyRequestEvent request = event("post-books").withHttpMethod("DELETE");

        APIGatewayProxyResponseEvent response = handle(request);

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(body(response).get("type").asText()).isEqualTo("urn:bookstore:problem:not-found");
    }

    @Test
    void noProblemCarriesAStackTrace() {
        APIGatewayProxyResponseEvent response = handle(event("post-books", "{\"title\":" + "[".repeat(100)));

        assertThat(response.getBody()).doesNotContain("at dev.", "Exception", "\tat ");
    }

    private APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request) {
        return api.handle(request, new TestLambdaContext()).response();
    }

    @Test
    void aWriteTakesNoQueryParameterAndSaysSoWithTheBodysViolations() {
        APIGatewayProxyRequestEvent single = event("post-books", "{\"title\":\"\",\"author\":\"A\",\"publisher\":\"P\",\"year\":1999}");
        single.setMultiValueQueryStringParameters(Map.of("dryRun", java.util.List.of("true")));
        APIGatewayProxyRequestEvent batch = event("post-books-batch");
        batch.setMultiValueQueryStringParameters(Map.of("dryRun", java.util.List.of("true")));

        assertThat(fields(handle(single))).containsExactlyInAnyOrder("dryRun", "title");
        assertThat(fields(handle(batch))).containsExactly("dryRun");
    }

    private static java.util.List<String> fields(APIGatewayProxyResponseEvent response) {
        assertThat(response.getStatusCode()).isEqualTo(400);
        return body(response).get("errors").findValuesAsText("field");
    }
}
