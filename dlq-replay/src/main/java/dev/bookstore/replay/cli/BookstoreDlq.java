package dev.bookstore.replay.cli;

import dev.bookstore.connection.DatabaseConfig;
import dev.bookstore.connection.PostgresConnector;
import dev.bookstore.db.Database;
import dev.bookstore.replay.AuditLog;
import dev.bookstore.replay.OutcomeLookup;
import dev.bookstore.replay.QueueDirectory;
import dev.bookstore.replay.QueuePair;
import dev.bookstore.replay.Replayer;
import dev.bookstore.sqs.SqsClients;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * {@code bookstore-dlq}: see what is in the dead-letter queues and why, and put back what should go back.
 * Exit codes: 0 done, 1 partly failed, 2 usage.
 */
@Command(name = "bookstore-dlq", mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {ListCommand.class, PeekCommand.class, ReplayCommand.class, DiscardCommand.class},
        description = "Inspect, replay and discard dead-lettered commands, with an audit trail. "
                + "Against AWS (default credentials and region) or the local runner (--endpoint-url http://127.0.0.1:9324).")
public final class BookstoreDlq {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--endpoint-url", scope = CommandLine.ScopeType.INHERIT,
            description = "an SQS endpoint other than AWS's, e.g. the local runner's http://127.0.0.1:9324")
    URI endpoint;

    @Option(names = "--region", scope = CommandLine.ScopeType.INHERIT, description = "default: the SDK's region chain (us-east-1 locally)")
    String region;

    @Option(names = "--stack", scope = CommandLine.ScopeType.INHERIT, description = "read the queue URLs from this stack's outputs")
    String stack;

    @Option(names = "--queue-prefix", scope = CommandLine.ScopeType.INHERIT,
            description = "without --stack, find <prefix>-books-commands and its -dlq by name (default: ${DEFAULT-VALUE})")
    String queuePrefix = "bookstore";

    @Option(names = "--source-url", scope = CommandLine.ScopeType.INHERIT, description = "the source queue's URL, given directly (with --dlq-url)")
    String sourceUrl;

    @Option(names = "--dlq-url", scope = CommandLine.ScopeType.INHERIT, description = "the DLQ's URL, given directly (with --source-url)")
    String dlqUrl;

    @Option(names = "--audit-file", scope = CommandLine.ScopeType.INHERIT, description = "where changes are recorded (default: ${DEFAULT-VALUE})")
    Path auditFile = Path.of("dlq-audit.jsonl");

    @Option(names = "--database-url", scope = CommandLine.ScopeType.INHERIT, paramLabel = "JDBC_URL",
            description = "look up each command's recorded outcome there (peek)")
    String databaseUrl;

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line; for tests and the wrapper script alike. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine line = new CommandLine(new BookstoreDlq()).setOut(out).setErr(err)
                .setExecutionExceptionHandler((e, commandLine, parsed) -> {
                    commandLine.getErr().println("bookstore-dlq: " + e.getMessage());
                    return 1;
                });
        return line.execute(args);
    }

    /** The operator's region and credentials as the AWS CLI finds them (flags, environment, profile), or a local SQS's. */
    SqsClient sqs() {
        boolean local = endpoint != null;
        Region chosen = region != null ? Region.of(region) : local ? Region.US_EAST_1 : new DefaultAwsRegionProviderChain().getRegion();
        AwsCredentialsProvider credentials = local && System.getenv("AWS_ACCESS_KEY_ID") == null && System.getProperty("aws.accessKeyId") == null
                // A local SQS takes any credentials; AWS itself never sees these.
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"))
                : DefaultCredentialsProvider.create();
        return SqsClients.of(chosen, credentials, endpoint, Duration.ofSeconds(2), Duration.ofSeconds(30), calls -> { });
    }

    Map<String, QueuePair> queues(SqsClient sqs) {
        if (sourceUrl != null || dlqUrl != null) {
            if (sourceUrl == null || dlqUrl == null) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--source-url and --dlq-url go together");
            }
            return Map.of("given", new QueuePair("given", sourceUrl, dlqUrl));
        }
        if (stack != null) {
            var builder = CloudFormationClient.builder().httpClient(UrlConnectionHttpClient.create());
            if (region != null) {
                builder.region(Region.of(region));
            }
            try (CloudFormationClient cloudFormation = builder.build()) {
                return QueueDirectory.fromStack(cloudFormation, stack);
            }
        }
        return QueueDirectory.byName(sqs, queuePrefix);
    }

    QueuePair queue(SqsClient sqs, String name, CommandLine commandLine) {
        Map<String, QueuePair> queues = queues(sqs);
        if (queues.containsKey("given")) {
            return queues.get("given");
        }
        QueuePair pair = queues.get(name);
        if (pair == null) {
            throw new CommandLine.ParameterException(commandLine, "--queue must be one of " + queues.keySet() + ", was " + name);
        }
        return pair;
    }

    Replayer replayer(SqsClient sqs) {
        return new Replayer(sqs, AuditLog.toFile(auditFile, Clock.systemUTC()), Clock.systemUTC());
    }

    OutcomeLookup outcomes() {
        if (databaseUrl == null) {
            return OutcomeLookup.none();
        }
        return OutcomeLookup.in(Database.singleConnection(new PostgresConnector(DatabaseConfig.from(Map.of(DatabaseConfig.URL, databaseUrl)))));
    }
}
