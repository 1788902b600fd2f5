package dev.bookstore.migration;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.CloudFormationCustomResourceEvent;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.bookstore.connection.DatabaseConfig;
import dev.bookstore.connection.PostgresConnector;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * A CloudFormation custom resource that migrates the schema on Create and Update and leaves the data
 * alone on Delete. Whatever happens — bad configuration, database down, a migration failing, the
 * function about to time out — CloudFormation gets an answer: SUCCESS or FAILED with the reason.
 */
public final class SchemaMigratorHandler implements RequestHandler<CloudFormationCustomResourceEvent, String> {

    static final String PHYSICAL_RESOURCE_ID = "bookstore-schema";
    /** Time kept back from the function's timeout to deliver the answer. */
    private static final Duration ANSWER_RESERVE = Duration.ofSeconds(10);

    private final Supplier<DataSource> dataSource;
    private final CustomResourceResponder responder;

    public SchemaMigratorHandler() {
        this(() -> new PostgresConnector(DatabaseConfig.fromEnvironment(), new SecretsManagerSecrets()).asDataSource(),
                new CustomResourceResponder(Duration.ofSeconds(5), 3));
    }

    SchemaMigratorHandler(Supplier<DataSource> dataSource, CustomResourceResponder responder) {
        this.dataSource = dataSource;
        this.responder = responder;
    }

    @Override
    public String handleRequest(CloudFormationCustomResourceEvent event, Context context) {
        Duration budget = Duration.ofMillis(context.getRemainingTimeInMillis()).minus(ANSWER_RESERVE);
        CustomResourceResponse response = withinBudget(event, budget);
        context.getLogger().log(JsonNodeFactory.instance.objectNode()
                .put("message", "schema migrator answered CloudFormation")
                .put("requestType", event.getRequestType())
                .put("status", response.status())
                .put("reason", response.reason()) + "\n");
        responder.send(event, response);
        return response.status();
    }

    private CustomResourceResponse withinBudget(CloudFormationCustomResourceEvent event, Duration budget) {
        String physicalId = event.getPhysicalResourceId() != null ? event.getPhysicalResourceId() : PHYSICAL_RESOURCE_ID;
        ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "schema-migrator");
            thread.setDaemon(true);
            return thread;
        });
        try {
            Future<CustomResourceResponse> outcome = worker.submit(() -> act(event, physicalId));
            return outcome.get(Math.max(budget.toMillis(), 1), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return CustomResourceResponse.failed(physicalId, "the migration did not finish within " + budget.toSeconds()
                    + " s of the function's timeout; see the function's log, then raise its timeout or fix the migration");
        } catch (ExecutionException e) {
            return CustomResourceResponse.failed(physicalId, describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CustomResourceResponse.failed(physicalId, "interrupted before the migration finished");
        } finally {
            worker.shutdownNow();
        }
    }

    private CustomResourceResponse act(CloudFormationCustomResourceEvent event, String physicalId) {
        String type = event.getRequestType();
        if ("Delete".equals(type)) {
            // The schema holds the data; removing the stack must not drop it.
            return CustomResourceResponse.success(physicalId, "schema left in place on delete", Map.of());
        }
        if (!"Create".equals(type) && !"Update".equals(type)) {
            return CustomResourceResponse.failed(physicalId, "unknown request type " + type);
        }
        MigrateResult result = Migrations.apply(dataSource.get());
        String version = result.targetSchemaVersion != null ? result.targetSchemaVersion : String.valueOf(result.initialSchemaVersion);
        return CustomResourceResponse.success(physicalId,
                "schema at version " + version + " (" + result.migrationsExecuted + " migrations applied)",
                Map.of("SchemaVersion", version));
    }

    private static String describe(Throwable failure) {
        StringBuilder reason = new StringBuilder(failure.getClass().getSimpleName()).append(": ").append(failure.getMessage());
        for (Throwable cause = failure.getCause(); cause != null && cause != failure; cause = cause.getCause()) {
            reason.append(" <- ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
        }
        return reason.toString();
    }
}
