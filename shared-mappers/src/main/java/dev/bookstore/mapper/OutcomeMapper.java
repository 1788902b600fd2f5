package dev.bookstore.mapper;

import dev.bookstore.db.Columns;
import dev.bookstore.domain.CommandOutcome;
import dev.bookstore.domain.Miss;
import dev.bookstore.domain.OutcomeWithBook;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

public interface OutcomeMapper {

    /**
     * Records outcomes in one statement and returns the command ids it recorded. The first outcome of
     * a command is final: one already recorded (or being recorded by a concurrent transaction, which
     * this waits for) is left as it is and not returned. Writers record the outcome before the effect,
     * so the outcome row is the claim on the command. Pass them sorted by command id.
     */
    default List<UUID> recordOutcomes(List<CommandOutcome> outcomes) {
        return recordOutcomeColumns(columns(outcomes));
    }

    /** The parameter of {@link #recordOutcomeColumns}. */
    static Map<String, List<String>> columns(List<CommandOutcome> outcomes) {
        return Columns.of(outcomes).column("commandId", CommandOutcome::commandId).column("type", CommandOutcome::type)
                .column("status", CommandOutcome::status).column("reason", CommandOutcome::reason).column("detail", CommandOutcome::detail)
                .column("resourceId", CommandOutcome::resourceId).column("foundVersion", CommandOutcome::foundVersion)
                .column("resourceVersion", CommandOutcome::resourceVersion).column("changedFields", CommandOutcome::changedFields).build();
    }

    /** {@link #recordOutcomes}, its rows as {@link Columns}. */
    List<UUID> recordOutcomeColumns(@Param("c") Map<String, List<String>> columns);

    /** Overwrites claimed outcomes with what their commands came to; the same transaction claimed them. */
    int completeOutcomes(@Param("outcomes") List<CommandOutcome> outcomes);

    /**
     * Counts one more delivery that found what a command needs (a book, a review) missing, for each command (distinct
     * ids), and returns every command's misses so far.
     */
    List<Miss> countMisses(@Param("misses") List<Miss> misses);

    Optional<CommandOutcome> findOutcome(@Param("commandId") UUID commandId);

    /** The outcome with the book it concerns (for a review, the review's book), by primary keys only. */
    Optional<OutcomeWithBook> findOutcomeWithBook(@Param("commandId") UUID commandId);

    /**
     * Among {@code resourceIds}, those that a rejected command of {@code type} (such as {@code CreateBook}) would have
     * created: a resource that may never come.
     */
    List<UUID> findRejectedCreations(@Param("type") String type, @Param("resourceIds") Collection<UUID> resourceIds);
}
