package dev.bookstore.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestsTest {

    @Test
    void headerNamesAreCaseInsensitiveInEitherMap() {
        APIGatewayProxyRequestEvent single = new APIGatewayProxyRequestEvent().withHeaders(Map.of("idempotency-key", "k1"));
        APIGatewayProxyRequestEvent multi = new APIGatewayProxyRequestEvent().withMultiValueHeaders(Map.of("IDEMPOTENCY-KEY", List.of("k2", "k3")));

        assertThat(Requests.header(single, "Idempotency-Key")).isEqualTo("k1");
        assertThat(Requests.header(multi, "Idempotency-Key")).isEqualTo("k2");
        assertThat(Requests.header(new APIGatewayProxyRequestEvent(), "Idempotency-Key")).isNull();
    }

    @Test
    void theBasePathIsTheStagePrefixTheClientUsed() {
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        context.setPath("/prod/books/1");
        APIGatewayProxyRequestEvent staged = new APIGatewayProxyRequestEvent().withPath("/books/1").withRequestContext(context);
        APIGatewayProxyRequestEvent local = new APIGatewayProxyRequestEvent().withPath("/books/1");

        assertThat(Requests.basePath(staged)).isEqualTo("/prod");
        assertThat(Requests.basePath(local)).isEmpty();
    }

    @Test
    void theCallerIsTheIamPrincipalOrTheCognitoSubjectOrAnonymous() {
        APIGatewayProxyRequestEvent.ProxyRequestContext iam = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        APIGatewayProxyRequestEvent.RequestIdentity identity = new APIGatewayProxyRequestEvent.RequestIdentity();
        identity.setUserArn("arn:aws:iam::1:user/a");
        iam.setIdentity(identity);
        APIGatewayProxyRequestEvent.ProxyRequestContext cognito = new APIGatewayProxyRequestEvent.ProxyRequestContext();
        cognito.setAuthorizer(Map.of("claims", Map.of("sub", "u-42")));

        assertThat(Requests.caller(new APIGatewayProxyRequestEvent().withRequestContext(iam))).isEqualTo("arn:aws:iam::1:user/a");
        assertThat(Requests.caller(new APIGatewayProxyRequestEvent().withRequestContext(cognito))).isEqualTo("cognito:u-42");
        assertThat(Requests.caller(new APIGatewayProxyRequestEvent())).isEqualTo("anonymous");
    }
}
