package dev.bookstore.ingest;

import dev.bookstore.command.CommandIds;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Ids for a request that carries an {@code Idempotency-Key}, derived rather than stored, so any
 * execution environment gives a client's retry the same command and the same resource:
 * <ul>
 *   <li>the resource id comes from the caller, the route and the key: whatever the body, one key
 *       can create at most one book (or review);</li>
 *   <li>the command id also covers the request's fingerprint: the same body is the same command,
 *       applied once; another body under the same key is another command, which the writer rejects
 *       as {@code IDEMPOTENCY_KEY_REUSED} because its resource id is taken.</li>
 * </ul>
 * Without shared state the API cannot always see a reused key itself; this environment remembers the
 * keys it accepted and answers {@code 422} when it sees one again with another body.
 */
public final class IdempotencyKeys {

    /** Enough for every retry a busy environment sees within minutes; older keys fall back to the writer's check. */
    static final int REMEMBERED = 10_000;

    public record Ids(UUID commandId, UUID resourceId) {
    }

    private final Map<String, String> accepted = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED;
        }
    };

    public static Ids derive(String caller, String route, String key, String fingerprint) {
        String scope = caller + "\n" + route + "\n" + key;
        return new Ids(CommandIds.derived("command\n" + scope + "\n" + fingerprint), CommandIds.derived("resource\n" + scope));
    }

    /** Whether this environment accepted the key before with a request of another fingerprint. */
    public synchronized boolean conflicts(String caller, String route, String key, String fingerprint) {
        String earlier = accepted.get(caller + "\n" + route + "\n" + key);
        return earlier != null && !earlier.equals(fingerprint);
    }

    /** Called only once the command is queued. */
    public synchronized void remember(String caller, String route, String key, String fingerprint) {
        accepted.put(caller + "\n" + route + "\n" + key, fingerprint);
    }
}
