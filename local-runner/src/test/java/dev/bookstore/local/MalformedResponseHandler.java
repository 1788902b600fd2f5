package dev.bookstore.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A consumer with a bug: it reports as failed a message id that was not in its batch. */
public final class MalformedResponseHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

    static final AtomicInteger INVOCATIONS = new AtomicInteger();

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        INVOCATIONS.incrementAndGet();
        return new SQSBatchResponse(List.of(new SQSBatchResponse.BatchItemFailure("not-a-message-of-this-batch")));
    }
}
