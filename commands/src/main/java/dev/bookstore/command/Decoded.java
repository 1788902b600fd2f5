package dev.bookstore.command;

import java.util.List;
import java.util.UUID;

/**
 * What a queue message turned out to be. Consumers act on each kind differently: apply a
 * {@link Command}; reject an {@link Invalid} or {@link Undecodable} one for good; leave an
 * {@link Unsupported} one to fail until a build that understands it is deployed.
 */
public sealed interface Decoded {

    /** A valid command of a type and version this build understands. */
    record Command(CommandEnvelope envelope) implements Decoded {
    }

    /** A well-formed envelope of a type or version from a newer producer. */
    record Unsupported(UUID commandId, String type, int version) implements Decoded {
    }

    /** An envelope whose fields or payload break the rules; it can never succeed. */
    record Invalid(UUID commandId, String type, List<Violation> violations) implements Decoded {
    }

    /** Not a command envelope at all; {@code commandId} is null when even that could not be read. */
    record Undecodable(UUID commandId, String reason) implements Decoded {
    }
}
