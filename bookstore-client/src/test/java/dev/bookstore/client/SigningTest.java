package dev.bookstore.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * What the server receives is signed as the SDK's own signer signs that same request: the test signs again, on its
 * own, the method, raw path and query, headers and body the server captured, with the same credentials and clock.
 */
class SigningTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC);
    private static final String REGION = "eu-west-1";
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final AwsCredentialsIdentity CREDENTIALS =
            AwsCredentialsIdentity.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static final AwsSessionCredentialsIdentity SESSION = AwsSessionCredentialsIdentity.create(
            "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "FwoGZXIvYXdzEXAMPLE//session+token=");
    /**
     * Headers java.net.http writes on its own (not signed, not the client's), and those the signer adds, which the test's
     * signing adds again from the same credentials, clock and body. Host is taken into the URI signed, as a server does.
     */
    private static final Set<String> NOT_SET_BY_THE_CLIENT = Set.of("host", "content-length", "user-agent", "connection",
            "authorization", "x-amz-date", "x-amz-security-token", "x-amz-content-sha256");

    private ScriptedServer server;

    @BeforeEach
    void start() throws Exception {
        server = ScriptedServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void postWithBodyCarriesTheSignatureTheSdkGivesTheRequestReceived() {
        server.then(Fixtures.bookAccepted());
        client(server.uri(), CREDENTIALS).createBook(Fixtures.LE_GUIN);

        ScriptedServer.Received post = server.received().get(0);
        String authorization = post.header("Authorization");
        assertThat(authorization).isEqualTo(signAgain(post, post.body(), CREDENTIALS));
        assertThat(authorization)
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/execute-api/aws4_request, ")
                .contains("SignedHeaders=accept;content-type;host;idempotency-key;x-amz-content-sha256;x-amz-date,");
        assertThat(post.header("X-Amz-Date")).isEqualTo("20150830T123600Z");
        assertThat(post.header("Host")).isEqualTo("127.0.0.1:" + server.uri().getPort());

        byte[] oneByteOff = Arrays.copyOf(post.body(), post.body().length);
        oneByteOff[oneByteOff.length / 2] ^= 1;
        assertThat(signAgain(post, oneByteOff, CREDENTIALS)).isNotEqualTo(authorization);
    }

    @Test
    void getWithQueryCarriesTheSignatureTheSdkGivesTheRequestReceived() {
        server.then(Fixtures.emptyPage());
        client(server.uri(), CREDENTIALS).listBooks(5, "b/x+y= ~é");

        ScriptedServer.Received get = server.received().get(0);
        assertThat(get.rawPathAndQuery()).isEqualTo("/books?limit=5&cursor=b%2Fx%2By%3D%20~%C3%A9");
        assertThat(get.body()).isEmpty();
        assertThat(get.header("Authorization")).isEqualTo(signAgain(get, get.body(), CREDENTIALS))
                .contains("/eu-west-1/execute-api/aws4_request");
    }

    @Test
    void sessionCredentialsSendTheirTokenSignedAndAStagePathIsSigned() {
        server.then(Fixtures.bookAccepted());
        client(URI.create(server.uri() + "/prod/"), SESSION).createBook(Fixtures.LE_GUIN);

        ScriptedServer.Received post = server.received().get(0);
        assertThat(post.rawPathAndQuery()).isEqualTo("/prod/books");
        assertThat(post.header("X-Amz-Security-Token")).isEqualTo(SESSION.sessionToken());
        assertThat(post.header("Authorization")).isEqualTo(signAgain(post, post.body(), SESSION))
                .contains(";x-amz-security-token");
    }

    @Test
    void everyAttemptIsSignedAfreshAtItsOwnTime() {
        server.then(ScriptedServer.problem(503, Problem.QUEUE_UNAVAILABLE, "")).then(Fixtures.bookAccepted());
        Clock ticking = new Clock() { // a second later at each reading
            private final AtomicLong seconds = new AtomicLong(CLOCK.instant().getEpochSecond());

            @Override
            public Instant instant() {
                return Instant.ofEpochSecond(seconds.getAndIncrement());
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                throw new UnsupportedOperationException();
            }
        };
        BookstoreClient.builder().endpoint(server.uri()).sigV4(REGION, CREDENTIALS).clock(ticking)
                .retryPolicy(new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1))).build()
                .createBook(Fixtures.LE_GUIN);

        List<ScriptedServer.Received> attempts = server.received();
        assertThat(attempts).hasSize(2).allSatisfy(attempt -> {
            Clock signedAt = Clock.fixed(AMZ_DATE.parse(attempt.header("X-Amz-Date"), Instant::from), ZoneOffset.UTC);
            assertThat(attempt.header("Authorization")).isEqualTo(signAgain(attempt, attempt.body(), CREDENTIALS, signedAt));
        });
        assertThat(attempts.get(1).header("X-Amz-Date")).isNotEqualTo(attempts.get(0).header("X-Amz-Date"));
    }

    @Test
    void withoutSigV4NothingIsSigned() {
        server.then(Fixtures.bookAccepted()).then(Fixtures.emptyPage());
        BookstoreClient unsigned = BookstoreClient.local(server.uri());
        unsigned.createBook(Fixtures.LE_GUIN);
        unsigned.listBooks(5, null);

        assertThat(server.received()).hasSize(2).allSatisfy(request -> {
            assertThat(request.header("Authorization")).isNull();
            assertThat(request.header("X-Amz-Date")).isNull();
        });
    }

    private static BookstoreClient client(URI endpoint, AwsCredentialsIdentity credentials) {
        return BookstoreClient.builder().endpoint(endpoint).sigV4(REGION, credentials).clock(CLOCK)
                .retryPolicy(new RetryPolicy(2, Duration.ofMillis(1), Duration.ofMillis(1))).build();
    }

    /** The Authorization the SDK's signer gives the request as received, with {@code body} for its body. */
    private static String signAgain(ScriptedServer.Received received, byte[] body, AwsCredentialsIdentity credentials) {
        return signAgain(received, body, credentials, CLOCK);
    }

    private static String signAgain(ScriptedServer.Received received, byte[] body, AwsCredentialsIdentity credentials, Clock clock) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(received.method()))
                .uri(URI.create("http://" + received.header("Host") + received.rawPathAndQuery()));
        received.headers().forEach((name, values) -> {
            if (!NOT_SET_BY_THE_CLIENT.contains(name.toLowerCase(Locale.ROOT))) {
                request.putHeader(name, values);
            }
        });
        return AwsV4HttpSigner.create().sign(sign -> sign
                        .identity(credentials)
                        .request(request.build())
                        .payload(body.length == 0 ? null : ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
                        .putProperty(HttpSigner.SIGNING_CLOCK, clock))
                .request().firstMatchingHeader("Authorization").orElseThrow();
    }
}
