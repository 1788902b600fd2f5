package dev.bookstore.client.internal;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * SigV4 for API Gateway ({@code execute-api}) by the SDK's own signer. The request signed is the request sent: its
 * method, its URI (the signer takes the host and, when not the scheme's default, the port from it, as java.net.http
 * writes {@code Host}), the headers the client sets and the body's bytes. Credentials are resolved for each attempt,
 * so a provider's refresh is seen, and each attempt gets a fresh {@code X-Amz-Date}.
 */
public final class SigV4Signer implements Signer {

    static final String SERVICE = "execute-api";
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private final String region;
    private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
    private final Clock clock;

    public SigV4Signer(String region, IdentityProvider<? extends AwsCredentialsIdentity> credentials, Clock clock) {
        this.region = Objects.requireNonNull(region, "region");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Map<String, List<String>> headers(Outgoing request) {
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(request.method()))
                .uri(request.uri());
        request.headers().forEach(unsigned::putHeader);
        AwsCredentialsIdentity identity = resolve();
        SignedRequest signed = SIGNER.sign(sign -> sign
                .identity(identity)
                .request(unsigned.build())
                .payload(request.body() == null ? null : ContentStreamProvider.fromByteArrayUnsafe(request.body()))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, SERVICE)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        signed.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                headers.put(name, values);
            }
        });
        return headers;
    }

    private AwsCredentialsIdentity resolve() {
        try {
            return credentials.resolveIdentity().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }
}
