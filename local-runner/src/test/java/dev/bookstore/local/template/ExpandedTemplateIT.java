package dev.bookstore.local.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.bookstore.testkit.RepositoryFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * template.yaml as CloudFormation creates it, after the SAM transform: callable by a client that holds only
 * execute-api:Invoke, one stage, roles that grant what the code calls (recorded by every module's integration
 * tests, which run before this module's) and what AWS documents, nothing more, and a network path of functions
 * to proxy to cluster. Each rule is shown to refuse a broken copy of the template.
 */
class ExpandedTemplateIT {

    private static final Path TEMPLATE = RepositoryFiles.find("template.yaml");
    private static final Path REPOSITORY = TEMPLATE.getParent();

    /** A rule, the template text that keeps it, the text that breaks it, and what the rules must then say. */
    record Mutation(String rule, String original, String broken, String complaint) {
    }

    static final List<Mutation> MUTATIONS = List.of(
            new Mutation("an alarm on a stage the API does not have", "        - Name: Stage\n          Value: prod",
                    "        - Name: Stage\n          Value: Prod", "Api5xxAlarm watches Stage Prod, which this stack does not create"),
            new Mutation("an alarm on the proxy's logical id", "Value: !Sub '${AWS::StackName}-proxy'", "Value: DatabaseProxy",
                    "watches ProxyName DatabaseProxy, which this stack does not create"),
            new Mutation("a function serving traffic without SnapStart", "      AutoPublishAlias: live\n      SnapStart:\n        ApplyOn: PublishedVersions\n",
                    "", "ApiIngest serves traffic without SnapStart on its published versions"),
            new Mutation("a big batch with no window", "            BatchSize: 100\n            MaximumBatchingWindowInSeconds: 1\n",
                    "            BatchSize: 100\n            MaximumBatchingWindowInSeconds: 0\n",
                    "a BatchSize of 100 needs a MaximumBatchingWindowInSeconds of at least 1"),
            new Mutation("a queue that redelivers a running batch", "      VisibilityTimeout: 190\n", "      VisibilityTimeout: 120\n",
                    "visibility timeout 120 s is below 6 x"),
            new Mutation("a route open to unsigned callers", "            Path: /books\n            Method: post\n",
                    "            Path: /books\n            Method: post\n            Auth:\n              Authorizer: NONE\n",
                    "POST /books is not signed with SigV4"),
            new Mutation("a function without active tracing", "    Tracing: Active\n", "    Tracing: PassThrough\n", "is not traced: its TracingConfig is not Active"),
            new Mutation("a stage that does not trace", "      TracingEnabled: true\n", "      TracingEnabled: false\n",
                    "BookstoreApiprodStage does not trace its requests"),
            new Mutation("tracing without leave to send traces", "      ManagedPolicyArns: [!Ref TraceWritingPolicy]\n", "",
                    "ApiIngest needs xray:PutTraceSegments"),
            new Mutation("a dashboard metric AWS does not publish", "[\"AWS/ApiGateway\",\"5XXError\",\"ApiName\"",
                    "[\"AWS/ApiGateway\",\"5xxError\",\"ApiName\"", "AWS/ApiGateway 5xxError, a metric AWS does not publish"),
            new Mutation("a dashboard metric by the wrong dimension", "[\"AWS/Lambda\",\"Duration\",\"FunctionName\",\"${ApiIngest}\"]",
                    "[\"AWS/Lambda\",\"Duration\",\"Function\",\"${ApiIngest}\"]", "dimensions AWS does not publish it under"),
            new Mutation("a dashboard on a queue the stack does not create", "\"${BooksDeadLetterQueue.QueueName}\",{\"label\"",
                    "\"books-dlq\",{\"label\"", "QueueName books-dlq, which this stack does not create"),
            new Mutation("integrations run as the caller", "InvokeRole: NONE", "InvokeRole: CALLER_CREDENTIALS", "(the caller credentials)"),
            new Mutation("a second stage", "      OpenApiVersion: '3.0.1'\n", "", "creates a second stage, Stage"),
            new Mutation("a SAM-made writer role", "      Role: !GetAtt BookWriterExecutionRole.Arn\n", "",
                    "BookWriter: its role grants sqs:ReceiveMessage on * (from AWSLambdaSQSQueueExecutionRole)"),
            new Mutation("logs on every group", "Resource: !GetAtt ApiIngestLogs.Arn", "Resource: '*'",
                    "ApiIngest: its role grants logs:CreateLogStream on * (from ApiIngestExecutionRole/logs)"),
            new Mutation("a call the role lacks", "Action: sqs:SendMessage\n                Resource: [!GetAtt BooksQueue.Arn",
                    "Action: sqs:GetQueueUrl\n                Resource: [!GetAtt BooksQueue.Arn", "ApiIngest needs sqs:SendMessage for its code calls it"),
            new Mutation("an action the code never calls", "Action: [sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes]\n                Resource: !GetAtt BooksQueue.Arn",
                    "Action: [sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes, sqs:PurgeQueue]\n                Resource: !GetAtt BooksQueue.Arn",
                    "BookWriter: its role grants sqs:PurgeQueue (from BookWriterExecutionRole/poll-books-commands), which its code never calls"),
            new Mutation("a queue the function does not use", "Resource: [!GetAtt BooksQueue.Arn, !GetAtt ReviewsQueue.Arn]",
                    "Resource: [!GetAtt BooksQueue.Arn, !GetAtt BooksDeadLetterQueue.Arn]", "on ${BooksDeadLetterQueue.Arn}"),
            new Mutation("the wrong database user", "BOOKSTORE_DB_USER: !Sub '${DatabaseName}_reader'", "BOOKSTORE_DB_USER: !Sub '${DatabaseName}_writer'",
                    "QueryApi needs rds-db:connect on"),
            new Mutation("the proxy logs in as anyone", "dbuser:${DatabaseClusterResourceId}/${DatabaseOwner}'", "dbuser:${DatabaseClusterResourceId}/*'",
                    "DatabaseProxy's role: its role grants rds-db:connect on"),
            new Mutation("HTTPS out for a writer", "SecurityGroupIds: [!Ref DatabaseClientSecurityGroup]", "SecurityGroupIds: [!Ref SchemaMigratorSecurityGroup]",
                    "QueryApi may send tcp/443 to 0.0.0.0/0"),
            new Mutation("a review writer that cannot set its back-off", "Action: sqs:ChangeMessageVisibility\n                Resource: !GetAtt ReviewsQueue.Arn",
                    "Action: sqs:GetQueueAttributes\n                Resource: !GetAtt ReviewsQueue.Arn",
                    "ReviewWriter needs sqs:ChangeMessageVisibility for its code calls it"),
            new Mutation("a writer with no way to SQS", "SecurityGroupIds: [!Ref WriterSecurityGroup]",
                    "SecurityGroupIds: [!Ref DatabaseClientSecurityGroup]", "BookWriter calls AWS but none of its security groups"),
            new Mutation("the proxy in the cluster's group", "VpcSecurityGroupIds: [!Ref ProxySecurityGroup]",
                    "VpcSecurityGroupIds: [!Ref DatabaseSecurityGroupId]", "not a group of this stack"),
            new Mutation("functions straight to the cluster", "      SourceSecurityGroupId: !Ref ProxySecurityGroup\n",
                    "      SourceSecurityGroupId: !Ref DatabaseClientSecurityGroup\n", "it must admit only the proxy"),
            new Mutation("a group with open egress", "      GroupDescription: The bookstore database proxy.\n      VpcId: !Ref VpcId\n      SecurityGroupEgress:",
                    "      GroupDescription: The bookstore database proxy.\n      VpcId: !Ref VpcId\n      Tags:", "no egress rule allows all"),
            new Mutation("the migrator before its network path", "DependsOn: [ProxyTargetGroup, ProxyIngressFromSchemaMigrator, ProxyIngressFromDatabaseClients, ProxyIngressFromWriters,\n"
                    + "                ProxyIngressFromPublisher, DatabaseIngressFromProxy]",
                    "DependsOn: [ProxyTargetGroup]", "Schema may run before DatabaseIngressFromProxy exists"),
            new Mutation("a DLQ any queue may use", "redrivePermission: byQueue", "redrivePermission: allowAll", "RedriveAllowPolicy must let only BooksQueue"),
            new Mutation("a DLQ deleted with the stack", "  BooksDeadLetterQueue:\n    Type: AWS::SQS::Queue\n    DeletionPolicy: Retain\n",
                    "  BooksDeadLetterQueue:\n    Type: AWS::SQS::Queue\n    DeletionPolicy: Delete\n", "BooksDeadLetterQueue is deleted with the stack"),
            new Mutation("a log group deleted with the stack", "  ApiAccessLogs:\n    Type: AWS::Logs::LogGroup\n    DeletionPolicy: Retain\n",
                    "  ApiAccessLogs:\n    Type: AWS::Logs::LogGroup\n", "ApiAccessLogs is deleted with the stack"),
            new Mutation("a gateway problem with a string status", "\"status\":429", "\"status\":\"429\"", "not the integer 429"),
            new Mutation("a gateway response left to the default", "        WAF_FILTERED: {", "        XWAF_FILTERED: {", "WAF_FILTERED is not a problem"),
            new Mutation("access logs without the caller", "\"userArn\":\"$context.identity.userArn\",", "", "access log has no userArn"),
            new Mutation("a schedule's function any rule may invoke", "  RetentionLogs:\n    Type: AWS::Logs::LogGroup\n",
                    "  RetentionInvokedByAnyRule:\n    Type: AWS::Lambda::Permission\n    Properties:\n      Action: lambda:InvokeFunction\n"
                            + "      FunctionName: !Ref Retention\n      Principal: events.amazonaws.com\n  RetentionLogs:\n    Type: AWS::Logs::LogGroup\n",
                    "RetentionInvokedByAnyRule lets events.amazonaws.com invoke Retention from any rule of any account"),
            new Mutation("the retention function as the writer", "BOOKSTORE_DB_USER: !Sub '${DatabaseName}_retention'",
                    "BOOKSTORE_DB_USER: !Sub '${DatabaseName}_writer'", "Retention needs rds-db:connect on"),
            new Mutation("the proxy unable to log in as the retention role",
                    "                  - !Sub 'arn:${AWS::Partition}:rds-db:${AWS::Region}:${AWS::AccountId}:dbuser:${DatabaseClusterResourceId}/${DatabaseName}_retention'\n",
                    "", "DatabaseProxy's role needs rds-db:connect on"),
            new Mutation("a follower queue any rule may fill", "            Condition:\n              ArnEquals:\n                aws:SourceArn: !GetAtt ChangesFollowRule.Arn\n",
                    "", "ChangesFollowerQueuePolicy lets events.amazonaws.com send to its queues from any rule of any account"),
            new Mutation("a rule target its queue does not admit", "      Queues: [!Ref ChangesFollowerQueue, !Ref ChangesFollowerDeadLetterQueue]",
                    "      Queues: [!Ref ChangesFollowerQueue]",
                    "rule ChangesFollowRule sends to ChangesFollowerDeadLetterQueue, whose policy does not let events.amazonaws.com send to it"),
            new Mutation("a publisher that may put on any bus", "Action: events:PutEvents\n                Resource: !GetAtt ChangesBus.Arn",
                    "Action: events:PutEvents\n                Resource: '*'", "EventPublisher: its role grants events:PutEvents on *"),
            new Mutation("the proxy unable to log in as the publisher role",
                    "                  - !Sub 'arn:${AWS::Partition}:rds-db:${AWS::Region}:${AWS::AccountId}:dbuser:${DatabaseClusterResourceId}/${DatabaseName}_publisher'\n",
                    "", "DatabaseProxy's role needs rds-db:connect on"),
            new Mutation("a writer that cannot nudge the publisher", "        - PolicyName: nudge-the-publisher\n          PolicyDocument:\n            Version: '2012-10-17'\n"
                    + "            Statement:\n              - Effect: Allow\n                Action: sqs:SendMessage\n                Resource: !GetAtt PublishQueue.Arn\n",
                    "", "BookWriter needs sqs:SendMessage for its code calls it"));

    private static ExpandedTemplate expanded;
    private static List<ExpandedTemplate> mutants;
    private static RecordedSdkCalls recorded;
    private static List<String> problemFields;

    @BeforeAll
    static void expand() throws IOException {
        assumeThat(ExpandedTemplate.transformAvailable()).as("python3 with aws-sam-translator (pip install cfn-lint)").isTrue();
        String yaml = Files.readString(TEMPLATE);
        List<String> texts = new ArrayList<>(List.of(yaml));
        for (Mutation mutation : MUTATIONS) {
            assertThat(yaml).as("the template still has the text of «%s»", mutation.rule()).contains(mutation.original());
            texts.add(yaml.replaceFirst(Pattern.quote(mutation.original()), Matcher.quoteReplacement(mutation.broken())));
        }
        List<ExpandedTemplate> all = ExpandedTemplate.expand(REPOSITORY, REPOSITORY.resolve("local-runner/target/expanded-template"), texts);
        expanded = all.get(0);
        mutants = all.subList(1, all.size());
        recorded = RecordedSdkCalls.read(REPOSITORY);
        problemFields = new ArrayList<>();
        new YAMLMapper().readTree(REPOSITORY.resolve("openapi.yaml").toFile()).at("/components/schemas/Problem/required")
                .forEach(field -> problemFields.add(field.asText()));
    }

    @Test
    void whatCloudFormationCreatesKeepsEveryRule() {
        assertThat(new ExpandedTemplateRules(expanded, recorded, problemFields).all()).isEmpty();
    }

    @Test
    void eachRuleRefusesATemplateThatBreaksIt() {
        for (int i = 0; i < MUTATIONS.size(); i++) {
            Mutation mutation = MUTATIONS.get(i);
            assertThat(new ExpandedTemplateRules(mutants.get(i), recorded, problemFields).all()).as(mutation.rule())
                    .anySatisfy(problem -> assertThat(problem).contains(mutation.complaint()));
        }
    }

    @Test
    void theRolesFollowTheCallsTheCodeMakes() {
        // What the tests recorded: the functions that call AWS did, and the others made no call of their own.
        assertThat(recorded.of("dev.bookstore.ingest.handler.ApiIngestHandler")).containsExactly("sqs:SendMessage");
        assertThat(recorded.of("dev.bookstore.replay.handler.DlqReplayHandler")).contains("sqs:ReceiveMessage", "sqs:SendMessage", "sqs:DeleteMessage");
        // The book writer sets a waiting change's back-off, as the review writer does (ChangeMessageVisibilityBatch).
        // Both writers nudge the publisher after a commit that changed something (sqs:SendMessage on PublishQueue).
        assertThat(recorded.of("dev.bookstore.bookwriter.handler.BookWriterHandler")).containsExactly("sqs:ChangeMessageVisibility", "sqs:SendMessage");
        assertThat(recorded.of("dev.bookstore.publisher.handler.EventPublisherHandler")).containsExactly("events:PutEvents");
        assertThat(recorded.of("dev.bookstore.retention.handler.RetentionHandler")).isEmpty();

        // Code that starts calling something its role lacks fails here, before it fails on AWS.
        RecordedSdkCalls more = recorded.with("dev.bookstore.ingest.handler.ApiIngestHandler", "sqs:PurgeQueue");
        assertThat(new ExpandedTemplateRules(expanded, more, problemFields).all())
                .contains("ApiIngest needs sqs:PurgeQueue for its code calls it (recorded in the tests), but its role does not grant it");
    }

    @Test
    void everyMutationIsOfADifferentRule() {
        assertThat(MUTATIONS).extracting(Mutation::rule).doesNotHaveDuplicates();
    }
}
