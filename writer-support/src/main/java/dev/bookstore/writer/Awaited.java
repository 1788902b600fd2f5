package dev.bookstore.writer;

import dev.bookstore.db.Mappers;
import dev.bookstore.domain.Miss;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/** The waits of commands whose book or review is not stored: never coming if its creation was rejected, else one more miss. */
public final class Awaited {

    private Awaited() {
    }

    /**
     * @param absent     for each waiting command's id, the id of the resource it needs, which is not stored
     * @param createType the type of the command that creates that resource, such as {@code CreateBook}
     * @param field      the field naming it in the waiting commands, such as {@code bookId}
     */
    public static Map<UUID, CommandTarget.Missing> count(Mappers mappers, Map<UUID, UUID> absent, String createType, String field) {
        if (absent.isEmpty()) {
            return Map.of();
        }
        Set<UUID> rejected = new HashSet<>(mappers.outcomes().findRejectedCreations(createType, Set.copyOf(absent.values())));
        Map<UUID, CommandTarget.Missing> waiting = new HashMap<>();
        Map<UUID, Miss> misses = new TreeMap<>();
        absent.forEach((command, resource) -> {
            if (rejected.contains(resource)) {
                waiting.put(command, CommandTarget.Missing.rejected(field));
            } else {
                misses.put(command, new Miss(command, resource, 0));
            }
        });
        if (!misses.isEmpty()) {
            mappers.outcomes().countMisses(List.copyOf(misses.values()))
                    .forEach(miss -> waiting.put(miss.commandId(), CommandTarget.Missing.counted(field, miss.misses())));
        }
        return waiting;
    }
}
