package dev.bookstore.query;

import static dev.bookstore.query.QueryFixtures.event;
import static dev.bookstore.query.QueryFixtures.withPath;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bookstore.migration.Migrations;
import dev.bookstore.query.handler.QueryApiHandler;
import dev.bookstore.testkit.OpenSockets;
import dev.bookstore.testkit.TestLambdaContext;
import dev.bookstore.testkit.TestPostgres;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** QueryApi's SnapStart hooks: priming opens no connection or socket; the first request after a restore opens one. */
class QueryPrimingIT {

    static TestPostgres postgres;

    @BeforeAll
    static void migrate() {
        postgres = TestPostgres.shared();
        Migrations.apply(postgres.dataSource());
    }

    @Test
    void primingLeavesNoConnectionForTheSnapshotAndTheFirstRequestAfterARestoreOpensOne() {
        String app = "query-priming-" + UUID.randomUUID().toString().substring(0, 8);
        QueryApiHandler handler = new QueryApiHandler(Map.of("BOOKSTORE_DB_URL", postgres.jdbcUrlAs(postgres.readerRole()),
                "BOOKSTORE_DB_APPLICATION_NAME", app));
        long socketsBefore = OpenSockets.count();

        handler.priming().beforeCheckpoint(null);

        assertThat(OpenSockets.count()).as("sockets after beforeCheckpoint").isLessThanOrEqualTo(socketsBefore);
        assertThat(connectionsNamed(app)).as("database connections after beforeCheckpoint").isZero();

        handler.priming().afterRestore(null);
        int status = handler.handleRequest(withPath(event("get-book"), "bookId", UUID.randomUUID().toString()), new TestLambdaContext())
                .getStatusCode();

        assertThat(status).isEqualTo(404);
        assertThat(connectionsNamed(app)).isEqualTo(1);
    }

    private static long connectionsNamed(String app) {
        return postgres.count("SELECT count(*) FROM pg_stat_activity WHERE application_name = ?", app);
    }
}
