package dev.bookstore.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bookstore.snapstart.Priming;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * The restore hook every function registers, on two simulated restores: both environments resume the id generator in the
 * snapshot's state (a SHA1PRNG seeded alike stands in for it), and after the hook their fresh ids differ. In the
 * command package, to reach the generator the way a snapshot would.
 */
class RestoreHookTest {

    @Test
    void idsDrawnAfterTwoRestoresFromOneSnapshotAreNotRepeated() throws Exception {
        Priming hooks = Priming.register(() -> { }, () -> { });
        long[] drawn = new long[2];
        for (int restore = 0; restore < 2; restore++) {
            CommandIds.resume(snapshotState());
            hooks.afterRestore(null);
            drawn[restore] = CommandIds.fresh().getLeastSignificantBits();
        }

        assertThat(drawn[0]).isNotEqualTo(drawn[1]);
    }

    @Test
    void beforeCheckpointRunsThePrimingAndAfterRestoreTheRestore() {
        int[] ran = new int[2];
        Priming hooks = Priming.register(() -> ran[0]++, () -> ran[1]++);

        hooks.beforeCheckpoint(null);
        hooks.afterRestore(null);

        assertThat(ran).containsExactly(1, 1);
    }

    private static SecureRandom snapshotState() throws Exception {
        SecureRandom state = SecureRandom.getInstance("SHA1PRNG");
        state.setSeed(42L);
        return state;
    }
}
