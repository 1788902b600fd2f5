package dev.bookstore.db;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Opens connections as {@link DatabaseConfig} says, fetching the password from its source at each connect. */
public final class PostgresConnector implements ConnectionFactory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DatabaseConfig config;
    private SecretsManagerClient secrets;
    private AwsCredentialsProvider awsCredentials;

    public PostgresConnector(DatabaseConfig config) {
        this.config = config;
    }

    @Override
    public Connection open() throws SQLException {
        Properties props = config.driverProperties();
        if (config.user() != null) {
            props.setProperty("user", config.user());
        }
        PasswordSource source = config.passwordSource();
        if (source instanceof PasswordSource.Fixed fixed) {
            props.setProperty("password", fixed.password());
        } else if (source instanceof PasswordSource.FromSecret secret) {
            readSecret(secret, props);
        } else if (source instanceof PasswordSource.IamToken iam) {
            props.setProperty("password", iamToken(iam));
        }
        // Through DriverManager, so a JDBC URL served by another registered driver works too: the local
        // runner registers one that plays RDS Proxy's part with a pool.
        return DriverManager.getConnection(config.jdbcUrl(), props);
    }

    public DatabaseConfig config() {
        return config;
    }

    /** A new connection per borrower: for tools such as Flyway that open and close their own. */
    public DataSource asDataSource() {
        return new BasicDataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                return open();
            }
        };
    }

    private void readSecret(PasswordSource.FromSecret source, Properties props) throws SQLException {
        String secretString;
        try {
            if (secrets == null) {
                secrets = SecretsManagerClient.builder()
                        .region(Region.of(source.region()))
                        .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(3)).build())
                        .build();
            }
            secretString = secrets.getSecretValue(r -> r.secretId(source.secretArn())).secretString();
        } catch (SdkException e) {
            throw new SQLException("could not read the database secret " + source.secretArn() + ": " + e.getMessage(), "08001", e);
        }
        try {
            JsonNode secret = JSON.readTree(secretString);
            if (!secret.path("password").isTextual()) {
                throw new SQLException("the secret " + source.secretArn() + " has no \"password\" field", "28000");
            }
            props.setProperty("password", secret.get("password").asText());
            if (config.user() == null && secret.path("username").isTextual()) {
                props.setProperty("user", secret.get("username").asText());
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Never e.getMessage(): it would quote the secret's text.
            throw new SQLException("the secret " + source.secretArn() + " is not the JSON that RDS writes", "28000");
        }
    }

    private String iamToken(PasswordSource.IamToken source) throws SQLException {
        try {
            if (awsCredentials == null) {
                awsCredentials = DefaultCredentialsProvider.builder().build();
            }
            return IamAuthToken.generate(source, awsCredentials.resolveCredentials(), java.time.Clock.systemUTC());
        } catch (SdkException e) {
            throw new SQLException("could not sign an IAM auth token for " + source.user() + ": " + e.getMessage(), "08001", e);
        }
    }
}
