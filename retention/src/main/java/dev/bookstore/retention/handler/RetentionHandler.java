package dev.bookstore.retention.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.bookstore.db.Database;
import dev.bookstore.connection.DatabaseConfig;
import dev.bookstore.connection.PostgresConnector;
import dev.bookstore.retention.Retention;
import dev.bookstore.retention.RetentionSettings;
import dev.bookstore.telemetry.LogLine;
import dev.bookstore.telemetry.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Deletes what the idempotency window no longer needs, each time its EventBridge schedule fires. */
public final class RetentionHandler implements RequestHandler<ScheduledEvent, Void> {

    /** Time kept back after the database may take its longest: to write the run's log line before the timeout. */
    private static final Duration CLOSING = Duration.ofSeconds(1);

    private final Retention retention;

    /** For the Lambda runtime. */
    public RetentionHandler() {
        this(System.getenv());
    }

    /** One execution environment with the given environment variables; bad configuration throws here. */
    public RetentionHandler(Map<String, String> environment) {
        this(RetentionSettings.from(environment), DatabaseConfig.from(environment));
    }

    private RetentionHandler(RetentionSettings settings, DatabaseConfig database) {
        // A batch is begun only when it can end before the timeout, even if it must reconnect and then wait its
        // statement out to the socket timeout.
        this(new Retention(Database.singleConnection(new PostgresConnector(database)), settings,
                database.connectTimeout().plus(database.socketTimeout()).plus(CLOSING), Clock.systemUTC(),
                LogLine.toStdout("retention"), Metrics.toStdout("retention")));
    }

    public RetentionHandler(Retention retention) {
        this.retention = retention;
    }

    @Override
    public Void handleRequest(ScheduledEvent event, Context context) {
        retention.run(context::getRemainingTimeInMillis);
        return null;
    }
}
