package dev.bookstore.bench;

/** How big each benchmark runs: the full suite, or a smoke run of seconds that only proves the bench still works. */
record Scale(boolean smoke, int writerBooks, int pgbenchSeconds, int endToEndCommands, int latencySeconds, int readBooks, int readSamples,
             int offsetSamples, int coldStarts, int footprintCommands, int bulkBooks) {

    static Scale fullRun() {
        return new Scale(false, 20_000, 15, 6_000, 10, 1_000_000, 2_000, 100, 10, 100_000, 100_000);
    }

    static Scale smokeRun() {
        return new Scale(true, 200, 2, 200, 2, 2_000, 50, 5, 1, 300, 500);
    }
}
