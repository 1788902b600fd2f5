package dev.bookstore.writer;

import dev.bookstore.config.Settings;
import java.net.URI;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Tells the event publisher that a batch committed changes, so their events are sent now rather than at the publisher's
 * next sweep. A nudge carries nothing the publisher needs (it claims from the database), so one lost costs only time.
 */
@FunctionalInterface
public interface PublisherNudge {

    /** The publish queue's URL; unset, no nudges are sent and the sweep alone publishes. */
    String PUBLISH_QUEUE_URL = "BOOKSTORE_PUBLISH_QUEUE_URL";

    /** No nudges: the sweep alone publishes. */
    PublisherNudge NONE = () -> { };

    /** After a commit that wrote events; never throws. */
    void eventsCommitted();

    /** A message on the publish queue per nudge, sent through {@code sqs}, when the environment names one. */
    static PublisherNudge from(Settings settings, SqsClient sqs) {
        URI queue = settings.optionalUrl(PUBLISH_QUEUE_URL);
        return queue == null ? NONE : new SqsPublisherNudge(sqs, queue);
    }
}
