package dev.bookstore.config;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The AWS credentials and region a function runs with. Lambda puts its role's credentials in the
 * environment; reading them from the function's own environment map (not the process's) lets the
 * local runner give each simulated function its own, as Lambda does.
 */
public final class AwsSettings {

    public static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    public static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    public static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";
    public static final String REGION = "AWS_REGION";

    private AwsSettings() {
    }

    public static AwsCredentialsProvider credentials(Settings settings) {
        String keyId = settings.optional(ACCESS_KEY_ID);
        String secret = settings.optional(SECRET_ACCESS_KEY);
        if (keyId == null || secret == null) {
            return DefaultCredentialsProvider.builder().build();
        }
        String token = settings.optional(SESSION_TOKEN);
        return StaticCredentialsProvider.create(token == null
                ? AwsBasicCredentials.create(keyId, secret)
                : AwsSessionCredentials.create(keyId, secret, token));
    }

    public static Region region(Settings settings) {
        return Region.of(settings.optional(REGION, "us-east-1"));
    }
}
