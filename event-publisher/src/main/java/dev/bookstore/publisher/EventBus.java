package dev.bookstore.publisher;

import dev.bookstore.domain.FeedEvent;
import java.util.List;

/** Where the publisher sends events: the stack's EventBridge bus ({@link EventBridgeBus}). */
public interface EventBus {

    /**
     * Sends the events; returns the numbers ({@code seq}) of those the bus accepted. An event not among them was refused
     * and stays to be sent again. Throws when the bus could not be asked at all.
     */
    List<Long> send(List<FeedEvent> events);
}
