package dev.bookstore.replay;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.sqs.SqsClient;

/** Where the command queues and their DLQs are: a stack's outputs, the template's naming, or URLs given directly. */
public final class QueueDirectory {

    /** The queues the template declares, by their short names. */
    public static final List<String> QUEUES = List.of("books", "reviews");

    private QueueDirectory() {
    }

    /** From the outputs of a deployed stack: BooksQueueUrl, BooksDeadLetterQueueUrl, ReviewsQueueUrl… */
    public static Map<String, QueuePair> fromStack(CloudFormationClient cloudFormation, String stack) {
        Map<String, String> outputs = new LinkedHashMap<>();
        try {
            cloudFormation.describeStacks(r -> r.stackName(stack)).stacks().get(0).outputs()
                    .forEach((Output output) -> outputs.put(output.outputKey(), output.outputValue()));
        } catch (SdkException e) {
            throw new QueueAccessException("could not read the outputs of stack " + stack + " (cloudformation:DescribeStacks): "
                    + describe(e), e);
        }
        Map<String, QueuePair> pairs = new LinkedHashMap<>();
        for (String queue : QUEUES) {
            String capitalised = Character.toUpperCase(queue.charAt(0)) + queue.substring(1);
            String source = outputs.get(capitalised + "QueueUrl");
            String dlq = outputs.get(capitalised + "DeadLetterQueueUrl");
            if (source == null || dlq == null) {
                throw new QueueAccessException("stack " + stack + " has no " + capitalised + "QueueUrl and " + capitalised
                        + "DeadLetterQueueUrl outputs; is it a bookstore stack?", null);
            }
            pairs.put(queue, new QueuePair(queue, source, dlq));
        }
        return pairs;
    }

    /** By the names the template gives its queues: {@code <prefix>-books-commands} and {@code <prefix>-books-commands-dlq}. */
    public static Map<String, QueuePair> byName(SqsClient sqs, String prefix) {
        Map<String, QueuePair> pairs = new LinkedHashMap<>();
        for (String queue : QUEUES) {
            String source = prefix + "-" + queue + "-commands";
            pairs.put(queue, new QueuePair(queue, url(sqs, source), url(sqs, source + "-dlq")));
        }
        return pairs;
    }

    private static String url(SqsClient sqs, String name) {
        try {
            return sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
        } catch (SdkException e) {
            throw new QueueAccessException("could not find queue " + name + " (sqs:GetQueueUrl): " + describe(e), e);
        }
    }

    static String describe(SdkException e) {
        if (e instanceof AwsServiceException service && service.awsErrorDetails() != null) {
            return service.awsErrorDetails().errorCode() + ": " + service.awsErrorDetails().errorMessage();
        }
        return e.getMessage();
    }
}
