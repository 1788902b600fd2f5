package dev.bookstore.connection;

import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * An RDS IAM auth token: a SigV4 presigned {@code connect} request for the user, without the scheme.
 * The same token the SDK's {@code RdsUtilities} makes, without pulling the whole RDS client into every jar.
 */
final class IamAuthToken {

    static final Duration VALIDITY = Duration.ofMinutes(15);

    private IamAuthToken() {
    }

    static String generate(PasswordSource.IamToken source, AwsCredentialsIdentity credentials, Clock clock) {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .protocol("https")
                .host(source.host())
                .port(source.port())
                .encodedPath("/")
                .putRawQueryParameter("DBUser", source.user())
                .putRawQueryParameter("Action", "connect")
                .build();
        SdkHttpRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(credentials)
                .request(request)
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "rds-db")
                .putProperty(AwsV4HttpSigner.REGION_NAME, source.region())
                .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, VALIDITY)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock))
                .request();
        return signed.getUri().toString().substring("https://".length());
    }
}
