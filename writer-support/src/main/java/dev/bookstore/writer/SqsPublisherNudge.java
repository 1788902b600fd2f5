package dev.bookstore.writer;

import java.net.URI;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sqs.SqsClient;

/** A nudge as a message on the publish queue, whose arrival invokes the publisher (its SQS event source). */
final class SqsPublisherNudge implements PublisherNudge {

    static final String BODY = "{\"nudge\":\"events committed\"}";

    private final SqsClient sqs;
    private final URI queue;

    SqsPublisherNudge(SqsClient sqs, URI queue) {
        this.sqs = sqs;
        this.queue = queue;
    }

    @Override
    public void eventsCommitted() {
        try {
            sqs.sendMessage(r -> r.queueUrl(queue.toString()).messageBody(BODY));
        } catch (SdkException e) {
            // Not nudged: the publisher's sweep sends these events within its period, later and nothing worse.
        }
    }
}
