package dev.bookstore.local;

import dev.bookstore.local.api.ApiServer;
import dev.bookstore.local.api.ContractChecks;
import dev.bookstore.local.db.LocalDatabase;
import dev.bookstore.local.events.LocalEventBus;
import dev.bookstore.local.lambda.LocalFunction;
import dev.bookstore.local.lambda.ScheduleEventSource;
import dev.bookstore.local.lambda.SqsEventSource;
import dev.bookstore.local.sqs.LocalQueues;
import dev.bookstore.local.template.FunctionSpec;
import dev.bookstore.local.template.SamTemplate;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything template.yaml declares, running on this machine: PostgreSQL behind the proxy stand-in,
 * ElasticMQ with the queues, the event buses delivering to their rules' queues, the functions, the API on HTTP, the SQS
 * event sources and the schedules. Stops in
 * the reverse order: no new requests or runs, then the batches in flight finish and are acknowledged, then the rest.
 */
public final class LocalStack implements AutoCloseable {

    /** Environments an API function may have at once when the template reserves none; Lambda's default is far higher. */
    static final int DEFAULT_API_CONCURRENCY = 32;

    private final SamTemplate template;
    private final LocalDatabase database;
    private final LocalQueues queues;
    private final TcpGate gate;
    private final LocalEventBus eventBus;
    private final Map<String, LocalFunction> functions;
    private final ApiServer api;
    private final ContractChecks contract;
    private final List<SqsEventSource> sources;
    private final List<ScheduleEventSource> schedules;
    private final StatusLine status;
    private final PrintStream console;
    private final PrintStream functionLog;
    private final PrintStream originalOut;

    private LocalStack(SamTemplate template, LocalDatabase database, LocalQueues queues, TcpGate gate, LocalEventBus eventBus,
                       Map<String, LocalFunction> functions,
                       ApiServer api, ContractChecks contract, List<SqsEventSource> sources, List<ScheduleEventSource> schedules, StatusLine status, PrintStream console,
                       PrintStream functionLog, PrintStream originalOut) {
        this.template = template;
        this.database = database;
        this.queues = queues;
        this.gate = gate;
        this.eventBus = eventBus;
        this.functions = functions;
        this.api = api;
        this.contract = contract;
        this.sources = sources;
        this.schedules = schedules;
        this.status = status;
        this.console = console;
        this.functionLog = functionLog;
        this.originalOut = originalOut;
    }

    public static LocalStack start(RunnerOptions options, PrintStream console) {
        // Read once for the connection budget, which sizes the database; again below with the database's name.
        SamTemplate sized = SamTemplate.read(options.template());
        if (options.databaseUrl() == null && !options.ephemeral() && options.dataDirectory() != null) {
            LocalDatabase.stopLeftoverServer(options.dataDirectory().resolve("postgres")).ifPresent(pid -> console.println(
                    "Stopped the PostgreSQL (pid " + pid + ") that an earlier run left running on " + options.dataDirectory()
                            + "; its data is kept."));
        }
        // A free API port is left to the server's own bind: resolved here and bound seconds later (after PostgreSQL
        // starts), it could be handed to another process in between (a clean-clone run met that as a BindException).
        int apiPort = options.apiPort() == 0 ? 0 : Ports.resolve(options.apiPort(), "the API", "--api-port");
        int sqsPort = Ports.resolve(options.sqsPort(), "SQS", "--sqs-port");
        int budget = Integer.parseInt(sized.parameters().getOrDefault("ProxyConnectionBudget", "50"));
        LocalDatabase database = null;
        LocalQueues queues = null;
        TcpGate gate = null;
        LocalEventBus eventBus = null;
        Map<String, LocalFunction> functions = new LinkedHashMap<>();
        PrintStream originalOut = System.out;
        PrintStream functionLog = functionLog(options, console);
        try {
            // The template's proxy waits 10 s for a database connection; fast retries wait 1 s, as they shorten every retry.
            Duration borrowTimeout = Duration.ofSeconds(options.fastRetries() ? 1 : 10);
            database = options.databaseUrl() != null
                    ? LocalDatabase.external(options.databaseUrl(), budget, borrowTimeout)
                    : LocalDatabase.embedded(options.dataDirectory() == null ? null : options.dataDirectory().resolve("postgres"),
                            options.ephemeral(), Ports.resolve(options.databasePort(), "PostgreSQL", "--db-port"), budget, borrowTimeout);
            // The migrations name the functions' database roles after the database, and so does the template.
            SamTemplate template = SamTemplate.read(options.template(), Map.of("DatabaseName", database.name()));
            queues = LocalQueues.start(sqsPort, options.persistQueues() ? options.dataDirectory().resolve("sqs").resolve("messages") : null,
                    template.queues(), q -> LocalEnvironment.queueName(q, template),
                    options.fastRetries() ? RunnerOptions.FAST_RETRY_VISIBILITY_SECONDS : null);
            LocalQueues made = queues;
            // Handlers write their JSON log lines to stdout, as on Lambda; here stdout is the function log.
            System.setOut(functionLog);
            gate = options.gatedSqs() ? TcpGate.start(sqsPort) : null;
            Map<String, String> busNames = new LinkedHashMap<>();
            template.eventBuses().keySet().forEach(bus -> busNames.put(bus, LocalEnvironment.busName(bus, template)));
            eventBus = LocalEventBus.start(busNames, template.eventRules(), made);
            LocalEnvironment environments = new LocalEnvironment(template, made, database.proxyUrl(),
                    gate == null ? made.endpoint() : "http://127.0.0.1:" + gate.port(),
                    options.fastRetries() ? RunnerOptions.FAST_RETRY_VISIBILITY_SECONDS : null, eventBus.endpoint());
            List<ApiServer.Route> routes = new ArrayList<>();
            List<SqsEventSource> sources = new ArrayList<>();
            List<ScheduleEventSource> schedules = new ArrayList<>();
            for (FunctionSpec spec : template.functions().values()) {
                if (spec.routes().isEmpty() && spec.sqsSources().isEmpty() && spec.schedules().isEmpty()) {
                    continue; // invoked by CloudFormation only (the schema migrator): the runner migrates at start
                }
                int concurrency = concurrency(spec);
                LocalFunction function = new LocalFunction(spec, environments.of(spec), concurrency, functionLog);
                functions.put(spec.logicalId(), function);
                spec.routes().forEach(route -> routes.add(new ApiServer.Route(route.method(), route.path(), function)));
                for (FunctionSpec.SqsSource source : spec.sqsSources()) {
                    sources.add(new SqsEventSource(source, made.queue(source.queueLogicalId()), function, made.client(),
                            Objects.requireNonNullElse(source.maximumConcurrency(), concurrency), console));
                }
                for (FunctionSpec.Schedule schedule : spec.schedules()) {
                    if (schedule.enabled()) {
                        schedules.add(new ScheduleEventSource(schedule, function, LocalEnvironment.STACK_NAME, Clock.systemUTC(), console));
                    }
                }
            }
            ContractChecks contract = ContractChecks.against(options.contract(), console);
            ApiServer api = ApiServer.start(apiPort, routes, contract);
            sources.forEach(SqsEventSource::start);
            schedules.forEach(ScheduleEventSource::start);
            StatusLine status = StatusLine.start(made, sources, database, options.statusEvery(), console);
            return new LocalStack(template, database, made, gate, eventBus, functions, api, contract, sources, schedules, status, console, functionLog,
                    originalOut);
        } catch (IOException e) {
            closeQuietly(functions, eventBus, queues, database, originalOut);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            closeQuietly(functions, eventBus, queues, database, originalOut);
            throw e;
        }
    }

    private static int concurrency(FunctionSpec spec) {
        if (spec.reservedConcurrency() != null) {
            return spec.reservedConcurrency();
        }
        if (!spec.sqsSources().isEmpty()) {
            return spec.sqsSources().stream().mapToInt(s -> Objects.requireNonNullElse(s.maximumConcurrency(), DEFAULT_API_CONCURRENCY)).sum();
        }
        return DEFAULT_API_CONCURRENCY;
    }

    private static PrintStream functionLog(RunnerOptions options, PrintStream console) {
        if (options.functionLogs() == null) {
            return console;
        }
        try {
            Files.createDirectories(options.functionLogs().toAbsolutePath().getParent());
            OutputStream file = Files.newOutputStream(options.functionLogs(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return new PrintStream(file, true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the function log " + options.functionLogs(), e);
        }
    }

    /** What is where, for the person who just started it. */
    public void printBanner(RunnerOptions options) {
        console.println("Bookstore is running on this machine, as template.yaml describes it.");
        console.println("  API        " + apiUrl() + "   (routes: " + String.join(", ", routes()) + ")");
        console.println("  SQS        " + queues.endpoint() + "   e.g. AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local aws --region "
                + LocalQueues.REGION + " --endpoint-url " + queues.endpoint() + " sqs list-queues");
        queues.queues().values().forEach(q -> console.println("    " + pad(q.logicalId(), 24) + q.url()
                + (q.spec().deadLetterQueue() != null ? "  (DLQ after " + q.spec().maxReceiveCount() + " receives, visibility "
                + q.visibilityTimeoutSeconds() + " s)" : "")));
        template.eventRules().forEach(rule -> console.println("  Events     " + rule.logicalId() + " on " + LocalEnvironment.busName(rule.busLogicalId(), template)
                + " (PutEvents at " + eventBus.endpoint() + ") delivers to " + String.join(", ", rule.targets().stream()
                .map(t -> t.queueLogicalId()).toList())));
        console.println("  PostgreSQL " + database.describe());
        if (options.contract() != null) {
            console.println("  Contract   every routed request and answer checked against " + options.contract() + "; a break is printed here");
        }
        console.println("  Functions  " + String.join(", ", functions.keySet())
                + (options.functionLogs() != null ? "; their logs in " + options.functionLogs() : ""));
        schedules.forEach(s -> console.println("    " + pad(s.function().spec().logicalId(), 24) + s.spec().expression()
                + ", the first run one period after the start"));
        console.println("Ctrl-C stops it after the batches in flight are done.");
    }

    private List<String> routes() {
        List<String> routes = new ArrayList<>();
        functions.values().forEach(f -> f.spec().routes().forEach(r -> routes.add(r.toString())));
        return routes;
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + api.port();
    }

    /** Each routed exchange that broke openapi.yaml since the start; empty also when the checks are off. */
    public List<String> contractViolations() {
        return contract.violations();
    }

    public String sqsEndpoint() {
        return queues.endpoint();
    }

    public String queueUrl(String logicalId) {
        return queues.queue(logicalId).url();
    }

    public LocalQueues queues() {
        return queues;
    }

    /** The gate between the functions and SQS, when started {@link RunnerOptions#withGatedSqs() gated}. */
    public TcpGate sqsGate() {
        if (gate == null) {
            throw new IllegalStateException("the stack was not started with a gate in front of SQS");
        }
        return gate;
    }

    /** The template's event buses, delivering to their rules' queues. */
    public LocalEventBus eventBus() {
        return eventBus;
    }

    public LocalDatabase database() {
        return database;
    }

    public Map<String, LocalFunction> functions() {
        return functions;
    }

    public List<SqsEventSource> eventSources() {
        return sources;
    }

    /** The schedules that invoke functions, as EventBridge rules would. */
    public List<ScheduleEventSource> schedules() {
        return schedules;
    }

    public SamTemplate template() {
        return template;
    }

    @Override
    public void close() {
        status.close();
        api.close();
        schedules.forEach(ScheduleEventSource::close);
        // Every poller is told first, so that their last long polls run out together rather than one source after another.
        sources.forEach(SqsEventSource::stopReceiving);
        sources.forEach(SqsEventSource::close);
        if (gate != null) {
            try {
                gate.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        closeQuietly(functions, eventBus, queues, database, originalOut);
        if (functionLog != console) {
            functionLog.close();
        }
    }

    private static void closeQuietly(Map<String, LocalFunction> functions, LocalEventBus eventBus, LocalQueues queues, LocalDatabase database,
                                     PrintStream originalOut) {
        System.setOut(originalOut);
        functions.values().forEach(LocalFunction::close);
        if (eventBus != null) {
            eventBus.close();
        }
        if (queues != null) {
            queues.close();
        }
        if (database != null) {
            database.close();
        }
    }
}
