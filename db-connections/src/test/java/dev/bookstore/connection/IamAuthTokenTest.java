package dev.bookstore.connection;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4PresignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

class IamAuthTokenTest {

    private static final AwsBasicCredentials CREDENTIALS = AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
    private static final PasswordSource.IamToken SOURCE =
            new PasswordSource.IamToken("bookstore.proxy-abc.eu-west-1.rds.amazonaws.com", 5432, "book_writer", "eu-west-1");

    @Test
    void theTokenIsAPresignedConnectRequestValidForFifteenMinutes() {
        String token = IamAuthToken.generate(SOURCE, CREDENTIALS, CLOCK);

        assertThat(token).startsWith("bookstore.proxy-abc.eu-west-1.rds.amazonaws.com:5432/?")
                .contains("Action=connect", "DBUser=book_writer", "X-Amz-Algorithm=AWS4-HMAC-SHA256",
                        "X-Amz-Credential=AKIDEXAMPLE%2F20261125%2Feu-west-1%2Frds-db%2Faws4_request",
                        "X-Amz-Date=20261125T100000Z", "X-Amz-Expires=900", "X-Amz-Signature=")
                .doesNotContain("https://");
    }

    @Test
    void theTokenIsTheOneTheSdkRdsUtilitiesWouldSign() {
        // RdsUtilities presigns this request with the legacy Aws4Signer; the same inputs must give the same token.
        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.GET).protocol("https").host(SOURCE.host()).port(SOURCE.port()).encodedPath("/")
                .putRawQueryParameter("DBUser", SOURCE.user()).putRawQueryParameter("Action", "connect").build();
        @SuppressWarnings("deprecation")
        String legacy = Aws4Signer.create().presign(request, Aws4PresignerParams.builder()
                .signingClockOverride(CLOCK).expirationTime(Instant.now(CLOCK).plus(IamAuthToken.VALIDITY))
                .awsCredentials(CREDENTIALS).signingName("rds-db").signingRegion(Region.EU_WEST_1).build())
                .getUri().toString().substring("https://".length());

        String token = IamAuthToken.generate(SOURCE, CREDENTIALS, CLOCK);

        // RDS reads the token as a URL: the same signed parameters in another order are the same token.
        assertThat(token.substring(0, token.indexOf('?'))).isEqualTo(legacy.substring(0, legacy.indexOf('?')));
        assertThat(parameters(token)).isEqualTo(parameters(legacy)).containsKey("X-Amz-Signature");
    }

    private static Map<String, String> parameters(String token) {
        return Arrays.stream(token.substring(token.indexOf('?') + 1).split("&"))
                .map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1]));
    }
}
