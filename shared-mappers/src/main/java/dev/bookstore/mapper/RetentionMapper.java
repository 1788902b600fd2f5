package dev.bookstore.mapper;

import java.time.Instant;
import org.apache.ibatis.annotations.Param;

/**
 * What the Retention function deletes once the idempotency window has passed: outcomes, waits and change events. Each call deletes at most
 * {@code limit} rows, oldest first, and returns how many it deleted: run each in a transaction of its own, so
 * no transaction holds many row locks or lasts long.
 */
public interface RetentionMapper {

    /** Deletes up to {@code limit} command outcomes recorded before {@code cutoff}, the oldest first. */
    int deleteOutcomesRecordedBefore(@Param("cutoff") Instant cutoff, @Param("limit") int limit);

    /** Deletes up to {@code limit} command waits whose last miss was before {@code cutoff}, the oldest first. */
    int deleteWaitsLastMissedBefore(@Param("cutoff") Instant cutoff, @Param("limit") int limit);

    /** Deletes up to {@code limit} change events committed before {@code cutoff}, the oldest first. */
    int deleteEventsOccurredBefore(@Param("cutoff") Instant cutoff, @Param("limit") int limit);
}
