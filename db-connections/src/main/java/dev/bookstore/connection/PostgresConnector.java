package dev.bookstore.connection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bookstore.config.InvalidConfigurationException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;

/** Opens connections as {@link DatabaseConfig} says, fetching the password from its source at each connect. */
public final class PostgresConnector implements ConnectionFactory {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DatabaseConfig config;
    private final SecretSource secrets;
    private AwsCredentialsProvider awsCredentials;

    /** For a function that connects with IAM, a fixed password or none: a configured secret is refused here, at start. */
    public PostgresConnector(DatabaseConfig config) {
        this(config, null);
    }

    /** For a function that may read its password from a Secrets Manager secret through {@code secrets}. */
    public PostgresConnector(DatabaseConfig config, SecretSource secrets) {
        if (config.passwordSource() instanceof PasswordSource.FromSecret && secrets == null) {
            throw new InvalidConfigurationException(DatabaseConfig.SECRET_ARN, "this function does not read Secrets Manager "
                    + "secrets; connect with " + DatabaseConfig.IAM_AUTH + "=true (only the schema migrator can read a secret)");
        }
        this.config = config;
        this.secrets = secrets;
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
        String secretString = secrets.read(source);
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
