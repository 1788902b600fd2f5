package dev.bookstore.ingest;

import dev.bookstore.config.AwsSettings;
import dev.bookstore.config.Settings;
import dev.bookstore.sqs.SqsClients;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/** Where commands go, read and checked once per execution environment. */
public record IngestConfig(URI booksQueueUrl, URI reviewsQueueUrl, URI sqsEndpoint, Region region,
                           AwsCredentialsProvider credentials) {

    public static final String BOOKS_QUEUE_URL = "BOOKSTORE_BOOKS_QUEUE_URL";
    public static final String REVIEWS_QUEUE_URL = "BOOKSTORE_REVIEWS_QUEUE_URL";
    /** Optional: an SQS endpoint other than AWS's, such as the local runner's ElasticMQ. */
    public static final String SQS_ENDPOINT = SqsClients.SQS_ENDPOINT;

    public static IngestConfig from(Settings settings) {
        return new IngestConfig(settings.requiredUrl(BOOKS_QUEUE_URL), settings.requiredUrl(REVIEWS_QUEUE_URL),
                settings.optionalUrl(SQS_ENDPOINT), AwsSettings.region(settings), AwsSettings.credentials(settings));
    }
}
