package dev.bookstore.db;

import java.sql.SQLException;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Reads a secret's text. Its own class so that the Secrets Manager client, an optional dependency,
 * is loaded only by the functions configured with a secret.
 */
final class SecretReader {

    private SecretsManagerClient client;

    String read(PasswordSource.FromSecret source) throws SQLException {
        try {
            if (client == null) {
                client = SecretsManagerClient.builder()
                        .region(Region.of(source.region()))
                        .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(3)).build())
                        .build();
            }
            return client.getSecretValue(r -> r.secretId(source.secretArn())).secretString();
        } catch (SdkException e) {
            throw new SQLException("could not read the database secret " + source.secretArn() + ": " + e.getMessage(), "08001", e);
        }
    }
}
