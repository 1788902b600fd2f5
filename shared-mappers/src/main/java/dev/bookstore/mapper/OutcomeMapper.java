package dev.bookstore.mapper;

import dev.bookstore.domain.CommandOutcome;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.ibatis.annotations.Param;

public interface OutcomeMapper {

    /** Records outcomes in one statement; the first outcome of a command is final, later ones are ignored. */
    int recordOutcomes(@Param("outcomes") List<CommandOutcome> outcomes);

    Optional<CommandOutcome> findOutcome(@Param("commandId") UUID commandId);

    /** The outcomes already recorded for any of {@code commandIds}. */
    List<CommandOutcome> findOutcomes(@Param("commandIds") Collection<UUID> commandIds);
}
