package dev.bookstore.snapstart;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import java.util.Map;

/** API Gateway requests made up for priming: no caller, no network; each is refused by validation before any I/O. */
public final class SyntheticRequests {

    private SyntheticRequests() {
    }

    public static APIGatewayProxyRequestEvent of(String method, String resource, Map<String, String> pathParameters,
                                                 Map<String, String> query, String body) {
        String path = resource;
        for (Map.Entry<String, String> parameter : pathParameters.entrySet()) {
            path = path.replace("{" + parameter.getKey() + "}", parameter.getValue());
        }
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setRequestId("snapstart-priming");
        return new APIGatewayProxyRequestEvent().withHttpMethod(method).withResource(resource).withPath(path)
                .withPathParameters(pathParameters).withQueryStringParameters(query.isEmpty() ? null : query)
                .withHeaders(Map.of("Content-Type", "application/json")).withBody(body).withRequestContext(context);
    }
}
