package dev.bookstore.sqs;

import dev.bookstore.config.AwsSettings;
import dev.bookstore.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * The SQS client a function builds once per execution environment: the JDK's HTTP connection instead of Netty or
 * Apache (a small jar, a fast cold start), the function's region and credentials, and another endpoint than AWS's
 * when {@value #SQS_ENDPOINT} names one (the local runner's ElasticMQ). Each caller sets its own timeouts and retries.
 */
public final class SqsClients {

    /** Optional: an SQS endpoint other than AWS's, such as the local runner's ElasticMQ. */
    public static final String SQS_ENDPOINT = "BOOKSTORE_SQS_ENDPOINT";

    private SqsClients() {
    }

    /** A client from the function's environment. */
    public static SqsClient of(Settings settings, Duration connect, Duration socket, Consumer<ClientOverrideConfiguration.Builder> calls) {
        return of(AwsSettings.region(settings), AwsSettings.credentials(settings), settings.optionalUrl(SQS_ENDPOINT), connect, socket, calls);
    }

    /** A client for this region, credentials and endpoint (null for AWS's). */
    public static SqsClient of(Region region, AwsCredentialsProvider credentials, URI endpoint, Duration connect, Duration socket,
                               Consumer<ClientOverrideConfiguration.Builder> calls) {
        SqsClientBuilder builder = SqsClient.builder()
                .region(region)
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(connect).socketTimeout(socket).build())
                .overrideConfiguration(calls);
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder.build();
    }
}
