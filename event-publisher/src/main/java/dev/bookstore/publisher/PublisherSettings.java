package dev.bookstore.publisher;

import dev.bookstore.config.Settings;

/**
 * Where events go and how many one transaction claims.
 *
 * @param busName   the stack's event bus ({@code !Ref ChangesBus})
 * @param source    the events' {@code source}, which subscribers' rules match
 * @param claimSize events one transaction claims, sends and marks: the row locks are held while they are sent
 */
public record PublisherSettings(String busName, String source, int claimSize) {

    public static final String BUS_NAME = "BOOKSTORE_EVENT_BUS_NAME";
    public static final String SOURCE = "BOOKSTORE_EVENT_SOURCE";
    public static final String CLAIM_SIZE = "BOOKSTORE_PUBLISH_CLAIM_SIZE";
    /** Optional: an EventBridge endpoint other than AWS's, such as the local runner's bus. */
    public static final String EVENTS_ENDPOINT = "BOOKSTORE_EVENTS_ENDPOINT";

    static final int DEFAULT_CLAIM_SIZE = 100;

    public static PublisherSettings from(Settings settings) {
        return new PublisherSettings(settings.required(BUS_NAME), settings.required(SOURCE),
                settings.integer(CLAIM_SIZE, DEFAULT_CLAIM_SIZE, 1, 1000));
    }
}
