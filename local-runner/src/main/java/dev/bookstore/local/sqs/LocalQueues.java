package dev.bookstore.local.sqs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.bookstore.local.template.QueueSpec;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.elasticmq.server.ElasticMQServer;
import org.elasticmq.server.config.ElasticMQServerConfig;
import scala.Function0;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;

/**
 * ElasticMQ on loopback with the template's queues. Messages are kept in an H2 file between runs unless
 * the run is ephemeral: a command the API accepted must survive a restart of the runner.
 */
public final class LocalQueues implements AutoCloseable {

    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "000000000000";
    /** SQS's visibility timeout when a queue does not set one. */
    public static final int DEFAULT_VISIBILITY_SECONDS = 30;

    private final Function0<?> shutdown;
    private final int port;
    private final boolean persistent;
    private final SqsClient client;
    private final Map<String, Queue> queues = new LinkedHashMap<>();

    /** A queue as the runner made it: its template id, name, URL, ARN and the visibility timeout it was given. */
    public record Queue(String logicalId, String name, String url, String arn, int visibilityTimeoutSeconds, QueueSpec spec) {
    }

    private LocalQueues(Function0<?> shutdown, int port, boolean persistent) {
        this.shutdown = shutdown;
        this.port = port;
        this.persistent = persistent;
        this.client = client(endpoint());
    }

    /**
     * Starts ElasticMQ with the template's queues, DLQs and redrive policies; {@code storage} is where queues
     * and messages persist, or null to keep them in memory only. With {@code visibilityOverride} every
     * visibility timeout is that instead of the template's (fast retries for demos and tests).
     */
    public static LocalQueues start(int port, Path storage, Map<String, QueueSpec> specs, Function<QueueSpec, String> naming,
                                    Integer visibilityOverride) {
        claimStore(storage);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("node-address.protocol", "http");
        settings.put("node-address.host", "127.0.0.1");
        settings.put("node-address.port", port);
        settings.put("rest-sqs.bind-hostname", "127.0.0.1");
        settings.put("rest-sqs.bind-port", port);
        settings.put("rest-sqs.sqs-limits", "strict");
        settings.put("generate-node-address", false);
        settings.put("aws.region", REGION);
        settings.put("aws.accountId", ACCOUNT);
        settings.put("messages-storage.enabled", storage != null);
        if (storage != null) {
            // WRITE_DELAY=0: H2 writes each commit before ElasticMQ answers, instead of up to half a second later, so a
            // message SQS acknowledged (and the API answered 202 for) survives the runner's JVM being killed.
            settings.put("messages-storage.uri", "jdbc:h2:file:" + storage.toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0");
        }
        // Declared in ElasticMQ's own configuration, so that restoring persisted queues and creating them cannot race.
        Map<String, Object> declared = new LinkedHashMap<>();
        specs.values().forEach(spec -> declared.put(naming.apply(spec), declaration(spec, specs, naming, visibilityOverride)));
        settings.put("queues", declared);
        Config config = ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load());
        Function0<?> stop = new ElasticMQServer(new ElasticMQServerConfig(config)).start();
        LocalQueues queues = new LocalQueues(stop, port, storage != null);
        specs.values().forEach(spec -> queues.adopt(spec, naming.apply(spec), visibility(spec, visibilityOverride), specs, naming));
        return queues;
    }

    private static Map<String, Object> declaration(QueueSpec spec, Map<String, QueueSpec> specs, Function<QueueSpec, String> naming,
                                                   Integer visibilityOverride) {
        Map<String, Object> queue = new LinkedHashMap<>();
        queue.put("defaultVisibilityTimeout", visibility(spec, visibilityOverride) + " seconds");
        queue.put("receiveMessageWait", (spec.receiveWaitSeconds() == null ? 0 : spec.receiveWaitSeconds()) + " seconds");
        if (spec.deadLetterQueue() != null) {
            QueueSpec dlq = specs.get(spec.deadLetterQueue());
            if (dlq == null) {
                throw new IllegalStateException(spec.logicalId() + " names a DLQ, " + spec.deadLetterQueue() + ", that the template does not declare");
            }
            queue.put("deadLettersQueue", Map.of("name", naming.apply(dlq), "maxReceiveCount", spec.maxReceiveCount()));
        }
        return queue;
    }

    private static int visibility(QueueSpec spec, Integer visibilityOverride) {
        return visibilityOverride != null ? visibilityOverride : spec.visibilityTimeoutSeconds() == null ? DEFAULT_VISIBILITY_SECONDS : spec.visibilityTimeoutSeconds();
    }

    public static SqsClient client(String endpoint) {
        return SqsClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)).build())
                .build();
    }

    /** ElasticMQ opens its SQL message store once per JVM and reuses it for every later server, whatever path it is given. */
    private static Path storeOfThisJvm;

    private static synchronized void claimStore(Path storage) {
        if (storage == null) {
            return;
        }
        Path wanted = storage.toAbsolutePath().normalize();
        if (storeOfThisJvm != null && !storeOfThisJvm.equals(wanted)) {
            throw new IllegalStateException("ElasticMQ keeps one message store per JVM, already " + storeOfThisJvm
                    + "; this JVM cannot keep messages in " + wanted + " too (run it with its queues in memory)");
        }
        storeOfThisJvm = wanted;
    }

    /**
     * Waits for a declared queue to exist (ElasticMQ creates it, or restores it with its messages), then
     * brings it to the template's attributes: a queue kept from an earlier run may have been made otherwise.
     */
    private void adopt(QueueSpec spec, String name, int visibility, Map<String, QueueSpec> specs, Function<QueueSpec, String> naming) {
        String url = awaitUrl(name);
        Map<QueueAttributeName, String> attributes = new EnumMap<>(QueueAttributeName.class);
        attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(visibility));
        if (spec.deadLetterQueue() != null) {
            String dlqArn = "arn:aws:sqs:" + REGION + ":" + ACCOUNT + ":" + naming.apply(specs.get(spec.deadLetterQueue()));
            attributes.put(QueueAttributeName.REDRIVE_POLICY,
                    "{\"maxReceiveCount\":\"" + spec.maxReceiveCount() + "\",\"deadLetterTargetArn\":\"" + dlqArn + "\"}");
        }
        client.setQueueAttributes(r -> r.queueUrl(url).attributes(attributes));
        String arn = client.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        queues.put(spec.logicalId(), new Queue(spec.logicalId(), name, url, arn, visibility, spec));
    }

    private String awaitUrl(String name) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try {
                return client.getQueueUrl(r -> r.queueName(name)).queueUrl();
            } catch (QueueDoesNotExistException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("ElasticMQ did not create the queue " + name + " within 15 s", e);
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the queue " + name, interrupted);
                }
            }
        }
    }

    public Map<String, Queue> queues() {
        return queues;
    }

    public Queue queue(String logicalId) {
        Queue queue = queues.get(logicalId);
        if (queue == null) {
            throw new IllegalArgumentException("no queue " + logicalId + " in the template");
        }
        return queue;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public SqsClient client() {
        return client;
    }

    /** Messages waiting plus those in flight. */
    public int depth(String logicalId) {
        Map<QueueAttributeName, String> attributes = client.getQueueAttributes(r -> r.queueUrl(queue(logicalId).url()).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    @Override
    public void close() {
        client.close();
        if (persistent) {
            // ElasticMQ writes a message to its store after answering the send; give the last ones time to land.
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        shutdown.apply();
    }
}
