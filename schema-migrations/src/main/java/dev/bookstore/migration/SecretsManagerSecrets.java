package dev.bookstore.migration;

import dev.bookstore.connection.PasswordSource;
import dev.bookstore.connection.SecretSource;
import java.sql.SQLException;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Secrets read from AWS Secrets Manager; the client is made on the first read, in the secret's region. */
public final class SecretsManagerSecrets implements SecretSource {

    private SecretsManagerClient client;

    @Override
    public String read(PasswordSource.FromSecret source) throws SQLException {
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
