package dev.bookstore.snapstart;

import dev.bookstore.command.CommandIds;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * A function's Lambda SnapStart runtime hooks, registered through the CRaC API as AWS documents ("Lambda SnapStart
 * runtime hooks for Java"). Before the snapshot, {@code prime} runs the handler's code paths once on synthetic input
 * that touches no network, so classes are loaded and initialized in the snapshot, not on the first request; it must
 * leave no connection, socket or credentials behind. After each restore, the id generator is reseeded (environments
 * resumed from one snapshot would otherwise share its state) and {@code restore} drops anything else that must not
 * outlive the snapshot. On a JVM without CRaC (the local runner, tests) registering does nothing, and the hooks are
 * plain methods a test can call.
 */
public final class Priming implements Resource {

    private final Runnable prime;
    private final Runnable restore;

    private Priming(Runnable prime, Runnable restore) {
        this.prime = prime;
        this.restore = restore;
    }

    /** Registers the hooks; keep the returned object for the function's life: CRaC holds its resources weakly. */
    public static Priming register(Runnable prime, Runnable restore) {
        Priming priming = new Priming(prime, restore);
        Core.getGlobalContext().register(priming);
        return priming;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime.run();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        CommandIds.reseed();
        restore.run();
    }
}
