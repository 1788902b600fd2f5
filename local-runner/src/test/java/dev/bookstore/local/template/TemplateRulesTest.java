package dev.bookstore.local.template;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.bookstore.testkit.RepositoryFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplateRulesTest {

    private static final Path TEMPLATE = RepositoryFiles.find("template.yaml");
    private static final Path REPOSITORY = TEMPLATE.getParent();

    @Test
    void theTemplateKeepsEveryRule() throws IOException {
        List<String> broken = new TemplateRules(Files.readString(TEMPLATE), REPOSITORY).all();

        assertThat(broken).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            maxReceiveCount below 5               | 'maxReceiveCount: 5'                          | 'maxReceiveCount: 2'                       | is below 5
            visibility under 6 x timeout + window | 'VisibilityTimeout: 190'                      | 'VisibilityTimeout: 120'                   | is below 6 x
            DLQ kept no longer than its source    | 'MessageRetentionPeriod: 1209600'             | 'MessageRetentionPeriod: 345600'           | must be 14 days
            a queue without encryption            | 'SqsManagedSseEnabled: true'                  | 'SqsManagedSseEnabled: false'              | encryption is off
            a size left to the default            | 'MaximumMessageSize: 262144'                  | 'DelaySeconds: 0'                          | MaximumMessageSize
            no partial batch responses            | 'FunctionResponseTypes: [ReportBatchItemFailures]' | 'FunctionResponseTypes: []'           | no ReportBatchItemFailures
            no maximum concurrency                | 'ScalingConfig:'                              | 'TumblingWindowScaling:'                   | no ScalingConfig
            a big batch without a window          | 'MaximumBatchingWindowInSeconds: 1'           | 'MaximumBatchingWindowInSeconds: 0'        | needs a MaximumBatchingWindowInSeconds
            writers over the connection budget    | 'WriterConcurrency: 12'                       | 'WriterConcurrency: 20'                    | allows
            a wildcard action                     | 'Action: rds-db:connect'                      | 'Action: rds-db:*'                         | action rds-db:*
            an unscoped statement                 | 'Resource: !GetAtt ApiIngestLogs.Arn'         | 'Resource: ''*'''                          | scoped Resource
            a handler of the wrong events         | 'Handler: dev.bookstore.bookwriter.handler.BookWriterHandler::handleRequest' | 'Handler: dev.bookstore.query.handler.QueryApiHandler::handleRequest' | not of SQSEvent
            a handler outside its module          | 'CodeUri: query-api/target/lambda/query-api.jar' | 'CodeUri: api-ingest/target/lambda/api-ingest.jar' | is not in module
            a socket timeout past the function's  | 'BOOKSTORE_DB_SOCKET_TIMEOUT_SECONDS: ''20''' | 'BOOKSTORE_DB_SOCKET_TIMEOUT_SECONDS: ''45''' | socket timeout
            text logs                             | 'LogFormat: JSON'                             | 'LogFormat: Text'                          | not JSON
            more waits than receives              | 'BOOKSTORE_WAIT_RECEIVES: ''4'''              | 'BOOKSTORE_WAIT_RECEIVES: ''5'''           | must be below BooksQueue's maxReceiveCount
            a wait past the retention             | 'BOOKSTORE_WAIT_SECONDS: ''43200'''           | 'BOOKSTORE_WAIT_SECONDS: ''400000'''       | retention 345600
            a stale copy of maxReceiveCount       | 'BOOKSTORE_QUEUE_MAX_RECEIVES: ''5'''         | 'BOOKSTORE_QUEUE_MAX_RECEIVES: ''6'''      | is not the queue's maxReceiveCount
            a stale copy of the retention         | 'BOOKSTORE_QUEUE_RETENTION_SECONDS: ''345600''' | 'BOOKSTORE_QUEUE_RETENTION_SECONDS: ''400000''' | is not the queue's retention
            ingest shorter than its SQS retries   | 'Timeout: 10'                                 | 'Timeout: 6'                               | leaves no second to answer
            a window the DLQ can outlast          | 'MinValue: 19'                                | 'MinValue: 18'                             | must be longer than the DLQs' retention
            the function told another DLQ retention | 'BOOKSTORE_DLQ_RETENTION_SECONDS: ''1209600''' | 'BOOKSTORE_DLQ_RETENTION_SECONDS: ''345600''' | not the DLQs' MessageRetentionPeriod
            a source queue kept longer than told  | 'MessageRetentionPeriod: 345600'              | 'MessageRetentionPeriod: 1209599'          | not the command queues' MessageRetentionPeriod
            a copy naming another database        | 'BOOKSTORE_DB_NAME: !Ref DatabaseName'        | 'BOOKSTORE_DB_NAME: bookstore2'            | reaches the database at
            a copy without IAM authentication     | 'BOOKSTORE_DB_IAM_AUTH: ''true'''             | 'BOOKSTORE_DB_IAM_AUTH: ''false'''         | without BOOKSTORE_DB_IAM_AUTH
            a copy that does not verify the proxy | 'BOOKSTORE_DB_SSL_MODE: verify-full'          | 'BOOKSTORE_DB_SSL_MODE: require'           | is not verify-full
            a function whose errors go unheard    | 'MetricName: Errors'                          | 'MetricName: Invocations'                  | ApiIngest has no alarm on its Errors
            an alarm whose recovery goes unheard  | '      OKActions: !If [HasAlarmTopic, [!Ref AlarmTopicArn], !Ref AWS::NoValue]\n' | '' | does not notify its recovery
            a queue function's schedule unbatched | 'Input: ''{"Records":[]}''' | 'Enabled: true'                  | must send an SQS event as its Input
            a schedule's handler of other events  | 'Handler: dev.bookstore.retention.handler.RetentionHandler::handleRequest' | 'Handler: dev.bookstore.query.handler.QueryApiHandler::handleRequest' | not of ScheduledEvent
            """)
    void eachRuleNoticesWhenItIsBroken(String rule, String original, String broken, String complaint) throws IOException {
        String yaml = Files.readString(TEMPLATE);
        assertThat(yaml).as("the template still has %s", original).contains(original);

        List<String> found = new TemplateRules(yaml.replaceFirst(java.util.regex.Pattern.quote(original),
                java.util.regex.Matcher.quoteReplacement(broken)), REPOSITORY).all();

        assertThat(found).as(rule).anySatisfy(problem -> assertThat(problem).contains(complaint));
    }

    @Test
    void aReviewBackOffSetOnAnotherQueueIsNoticed() throws IOException {
        String yaml = Files.readString(TEMPLATE);
        String broken = yaml.replaceFirst("BOOKSTORE_QUEUE_URL: !Ref ReviewsQueue", "BOOKSTORE_QUEUE_URL: !Ref BooksQueue");

        assertThat(broken).isNotEqualTo(yaml);
        assertThat(new TemplateRules(broken, REPOSITORY).all()).anySatisfy(problem -> assertThat(problem).contains("the queue it polls"));
    }

    @Test
    void theApiRoutesOfTheTemplateAreThoseOfOpenApi() throws IOException {
        Set<String> inTemplate = SamTemplate.read(TEMPLATE).functions().values().stream()
                .flatMap(f -> f.routes().stream()).map(FunctionSpec.ApiRoute::toString).collect(Collectors.toSet());
        JsonNode openapi = new YAMLMapper().readTree(Files.readString(REPOSITORY.resolve("openapi.yaml")));
        Set<String> documented = new HashSet<>();
        openapi.get("paths").properties().forEach(path -> path.getValue().fieldNames().forEachRemaining(method ->
                documented.add(method.toUpperCase() + " " + path.getKey())));

        assertThat(inTemplate).isEqualTo(documented);
    }

    /**
     * What ExpandedTemplateRules.signedAsDocumented holds the deployed API to: openapi.yaml asks SigV4 of every route,
     * by one scheme of the type API Gateway reads, and no operation sets its own security.
     */
    @Test
    void openApiAsksSigV4OfEveryRoute() throws IOException {
        JsonNode openapi = new YAMLMapper().readTree(Files.readString(REPOSITORY.resolve("openapi.yaml")));
        JsonNode security = openapi.get("security");
        assertThat(security).hasSize(1);
        String scheme = security.get(0).fieldNames().next();
        assertThat(openapi.at("/components/securitySchemes/" + scheme + "/x-amazon-apigateway-authtype").asText()).isEqualTo("awsSigv4");
        openapi.get("paths").properties().forEach(path -> path.getValue().properties().forEach(operation ->
                assertThat(operation.getValue().has("security")).as(operation.getKey() + " " + path.getKey()).isFalse()));
    }

    /** Lambda keeps 100 concurrent executions unreserved, so the account's quota must cover what the stack reserves plus 100. */
    @Test
    void theReadmeStatesTheConcurrencyQuotaEachBudgetNeeds() throws IOException {
        String readme = Files.readString(REPOSITORY.resolve("README.md"));
        SamTemplate template = SamTemplate.read(TEMPLATE);
        Object budgets = SamTemplate.map(SamTemplate.map(template.raw().get("Parameters")).get("ProxyConnectionBudget")).get("AllowedValues");
        String byDefault = template.parameters().get("ProxyConnectionBudget");
        for (Object budget : SamTemplate.list(budgets)) {
            int reserved = SamTemplate.read(TEMPLATE, Map.of("ProxyConnectionBudget", String.valueOf(budget))).functions().values().stream()
                    .map(FunctionSpec::reservedConcurrency).filter(java.util.Objects::nonNull).mapToInt(Integer::intValue).sum();
            String stated = String.valueOf(budget).equals(byDefault) ? "**" + (reserved + 100) + "**" : budget + " → " + (reserved + 100);
            assertThat(readme).as("the README's quota for a budget of %s", budget).contains(stated);
        }
    }

    @Test
    void everyDlqAndEveryQueueAgeIsAlarmedAndTheOutputsNameWhatOperatorsNeed() {
        SamTemplate template = SamTemplate.read(TEMPLATE);
        Set<String> dlqAlarms = new HashSet<>();
        Set<String> ageAlarms = new HashSet<>();
        template.resources().forEach((id, resource) -> {
            if ("AWS::CloudWatch::Alarm".equals(template.type(id)) && "AWS/SQS".equals(template.properties(id).get("Namespace"))) {
                Map<String, Object> properties = template.properties(id);
                Map<String, Object> dimension = SamTemplate.map(SamTemplate.list(properties.get("Dimensions")).get(0));
                Object queue = SamTemplate.list(SamTemplate.map(dimension.get("Value")).get("Fn::GetAtt")).get(0);
                if ("ApproximateNumberOfMessagesVisible".equals(properties.get("MetricName")) && Integer.valueOf(0).equals(properties.get("Threshold"))) {
                    dlqAlarms.add(String.valueOf(queue));
                }
                if ("ApproximateAgeOfOldestMessage".equals(properties.get("MetricName"))) {
                    ageAlarms.add(String.valueOf(queue));
                }
            }
        });
        Set<String> sources = template.queues().values().stream().filter(q -> q.deadLetterQueue() != null).map(QueueSpec::logicalId)
                .collect(Collectors.toSet());
        Set<String> dlqs = template.queues().values().stream().filter(q -> q.deadLetterQueue() != null).map(QueueSpec::deadLetterQueue)
                .collect(Collectors.toSet());
        // The DLQs of EventBridge rules' targets too: events their targets could not take.
        template.resources().forEach((id, resource) -> {
            if ("AWS::Events::Rule".equals(template.type(id))) {
                SamTemplate.list(template.properties(id).get("Targets")).forEach(target -> {
                    Object dlq = SamTemplate.map(SamTemplate.map(target).get("DeadLetterConfig")).get("Arn");
                    if (dlq != null) {
                        dlqs.add(String.valueOf(SamTemplate.list(SamTemplate.map(dlq).get("Fn::GetAtt")).get(0)));
                    }
                });
            }
        });

        assertThat(dlqAlarms).isEqualTo(dlqs);
        assertThat(ageAlarms).isEqualTo(sources);
        assertThat(SamTemplate.map(template.raw().get("Outputs")).keySet()).contains("ApiUrl", "ProxyEndpoint",
                "BooksQueueUrl", "BooksQueueArn", "BooksDeadLetterQueueUrl", "BooksDeadLetterQueueArn",
                "ReviewsQueueUrl", "ReviewsQueueArn", "ReviewsDeadLetterQueueUrl", "ReviewsDeadLetterQueueArn");
    }
}
