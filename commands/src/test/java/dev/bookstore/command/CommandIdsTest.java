package dev.bookstore.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CommandIdsTest {

    @Test
    void freshIdsAreVersion7AndTimeOrdered() throws InterruptedException {
        UUID earlier = CommandIds.fresh();
        Thread.sleep(2);
        UUID later = CommandIds.fresh();

        assertThat(earlier.version()).isEqualTo(7);
        assertThat(earlier.variant()).isEqualTo(2);
        assertThat(Long.compareUnsigned(earlier.getMostSignificantBits(), later.getMostSignificantBits())).isNegative();
        assertThat(earlier.getMostSignificantBits() >>> 16).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(5_000L));
    }

    @Test
    void freshIdsDoNotRepeat() {
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(CommandIds.fresh());
        }
        assertThat(ids).hasSize(100_000);
    }

    @Test
    void derivedIdsAreVersion5AsRfc9562Specifies() {
        UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");

        // RFC 9562, appendix A.4.
        assertThat(CommandIds.nameBased(dns, "www.example.com")).isEqualTo(UUID.fromString("2ed6657d-e927-568b-95e1-2665a8aea6a2"));
        assertThat(CommandIds.derived("POST /books\nkey-1")).isEqualTo(CommandIds.derived("POST /books\nkey-1"))
                .isNotEqualTo(CommandIds.derived("POST /books\nkey-2"));
        assertThat(CommandIds.derived("x").version()).isEqualTo(5);
    }

    /**
     * Two execution environments resumed from one SnapStart snapshot start with the same generator state; a SHA1PRNG
     * seeded alike stands in for it. Left as it is, both draw the same "random" bits; reseeded, as the restore hook does,
     * they part.
     */
    @Test
    void environmentsResumedFromOneSnapshotDrawDifferentIdsOnceReseeded() throws Exception {
        long[] asSnapshotted = new long[2];
        long[] reseeded = new long[2];
        for (int environment = 0; environment < 2; environment++) {
            CommandIds.resume(snapshotState());
            asSnapshotted[environment] = CommandIds.fresh().getLeastSignificantBits();
            CommandIds.resume(snapshotState());
            CommandIds.reseed();
            reseeded[environment] = CommandIds.fresh().getLeastSignificantBits();
        }

        assertThat(asSnapshotted[0]).as("the hazard the hook exists for").isEqualTo(asSnapshotted[1]);
        assertThat(reseeded[0]).isNotEqualTo(reseeded[1]);
    }

    private static java.security.SecureRandom snapshotState() throws Exception {
        java.security.SecureRandom state = java.security.SecureRandom.getInstance("SHA1PRNG");
        state.setSeed(42L);
        return state;
    }
}
