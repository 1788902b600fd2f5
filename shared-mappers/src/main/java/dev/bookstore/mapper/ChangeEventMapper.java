package dev.bookstore.mapper;

import dev.bookstore.db.Columns;
import dev.bookstore.domain.ChangeEvent;
import dev.bookstore.domain.FeedEvent;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

public interface ChangeEventMapper {

    /**
     * Appends events to the feed, numbered after the last one in the order given. The numbers come from the one row of
     * change_feed_position, whose lock this transaction then holds until it ends: call it last, just before the commit,
     * so other writers wait for it as briefly as possible. Returns the number of events written.
     */
    default int appendEvents(List<ChangeEvent> events) {
        return events.isEmpty() ? 0 : appendEventColumns(columns(events), events.size());
    }

    /** The parameter of {@link #appendEventColumns}. */
    static Map<String, List<String>> columns(List<ChangeEvent> events) {
        return Columns.of(events).column("eventId", ChangeEvent::eventId).column("type", ChangeEvent::type).column("bookId", ChangeEvent::bookId)
                .column("reviewId", ChangeEvent::reviewId).column("version", ChangeEvent::version).column("commandId", ChangeEvent::commandId)
                .column("correlationId", ChangeEvent::correlationId).column("data", ChangeEvent::data).build();
    }

    /** {@link #appendEvents}, its rows as {@link Columns}. */
    int appendEventColumns(@Param("c") Map<String, List<String>> columns, @Param("count") int count);

    /** The feed after {@code after}, in seq order, at most {@code limit} events. */
    List<FeedEvent> findEvents(@Param("after") long after, @Param("limit") int limit);

    /** One book's feed (its events and its reviews') after {@code after}, in seq order. */
    List<FeedEvent> findEventsOfBook(@Param("bookId") UUID bookId, @Param("after") long after, @Param("limit") int limit);

    /**
     * Up to {@code limit} events not yet published, oldest first, locked for this transaction; events another
     * transaction holds are passed over, so publishers running at once claim different events and none waits.
     */
    List<FeedEvent> claimUnpublished(@Param("limit") int limit);

    /** Marks the events with these numbers published now; returns how many it marked. */
    default int markPublished(List<Long> seqs) {
        return seqs.isEmpty() ? 0 : markPublishedSeqs(seqs.stream().map(String::valueOf).toList());
    }

    /** {@link #markPublished}, its numbers as one {@code textArray} parameter. */
    int markPublishedSeqs(@Param("seqs") List<String> seqs);
}
