package dev.bookstore.connection;

import static dev.bookstore.connection.DatabaseConfig.AWS_REGION;
import static dev.bookstore.connection.DatabaseConfig.HOST;
import static dev.bookstore.connection.DatabaseConfig.IAM_AUTH;
import static dev.bookstore.connection.DatabaseConfig.NAME;
import static dev.bookstore.connection.DatabaseConfig.PASSWORD;
import static dev.bookstore.connection.DatabaseConfig.PORT;
import static dev.bookstore.connection.DatabaseConfig.SECRET_ARN;
import static dev.bookstore.connection.DatabaseConfig.SOCKET_TIMEOUT;
import static dev.bookstore.connection.DatabaseConfig.SSL_MODE;
import static dev.bookstore.connection.DatabaseConfig.URL;
import static dev.bookstore.connection.DatabaseConfig.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bookstore.config.InvalidConfigurationException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DatabaseConfigTest {

    private static final String ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf";

    @Test
    void aFullUrlNeedsNoPasswordSource() {
        DatabaseConfig config = DatabaseConfig.from(Map.of(URL, "jdbc:postgresql://127.0.0.1:5432/bookstore?user=postgres"));

        assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/bookstore?user=postgres");
        assertThat(config.passwordSource()).isEqualTo(PasswordSource.NONE);
    }

    @Test
    void hostModeBuildsTheUrlAndDefaultsToVerifiedTls() {
        DatabaseConfig config = DatabaseConfig.from(env(HOST, "proxy.example.com", NAME, "bookstore", USER, "writer",
                PASSWORD, "pw"));

        assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://proxy.example.com:5432/bookstore");
        assertThat(config.driverProperties()).containsEntry("sslmode", "verify-full")
                .containsEntry("sslfactory", "org.postgresql.ssl.DefaultJavaSSLFactory");
    }

    @Test
    void driverSettingsSuitRdsProxy() {
        Properties props = DatabaseConfig.from(env(URL, "jdbc:postgresql://h/db", "AWS_LAMBDA_FUNCTION_NAME", "book-writer",
                SOCKET_TIMEOUT, "12")).driverProperties();

        assertThat(props).containsEntry("ApplicationName", "book-writer")
                .containsEntry("prepareThreshold", "0")
                .containsEntry("tcpKeepAlive", "true")
                .containsEntry("socketTimeout", "12")
                .containsEntry("connectTimeout", "5")
                .containsEntry("assumeMinServerVersion", "14");
    }

    @Test
    void eachErrorNamesTheVariable() {
        assertError(Map.of(), HOST);
        assertError(env(URL, "postgresql://h/db"), URL);
        assertError(env(URL, "jdbc:postgres://h/db"), URL); // a typo no driver takes: refused at start, not at each batch
        assertError(env(URL, "jdbc:postgresql://h/db", HOST, "h"), URL);
        assertError(env(HOST, "h", USER, "u", PASSWORD, "p"), NAME);
        assertError(env(HOST, "h", NAME, "n", USER, "u", PASSWORD, "p", PORT, "http"), PORT);
        assertError(env(HOST, "h", NAME, "n", USER, "u", PASSWORD, "p", PORT, "70000"), PORT);
        assertError(env(HOST, "h", NAME, "n", USER, "u"), PASSWORD);
        assertError(env(HOST, "h", NAME, "n", PASSWORD, "p"), USER);
        assertError(env(HOST, "h", NAME, "n", USER, "u", PASSWORD, "p", SECRET_ARN, ARN), PASSWORD);
        assertError(env(HOST, "h", NAME, "n", USER, "u", SECRET_ARN, ARN), AWS_REGION);
        assertError(env(HOST, "h", NAME, "n", USER, "u", SECRET_ARN, "db-secret", AWS_REGION, "eu-west-1"), SECRET_ARN);
        assertError(env(HOST, "h", NAME, "n", USER, "u", IAM_AUTH, "yes"), IAM_AUTH);
        assertError(env(HOST, "h", NAME, "n", USER, "u", IAM_AUTH, "true", AWS_REGION, "eu-west-1", SSL_MODE, "disable"), SSL_MODE);
        assertError(env(HOST, "h", NAME, "n", USER, "u", PASSWORD, "p", SSL_MODE, "sometimes"), SSL_MODE);
        assertError(env(HOST, "h", NAME, "n", USER, "u", PASSWORD, "p", SOCKET_TIMEOUT, "0"), SOCKET_TIMEOUT);
        assertError(env(HOST, "not a host", NAME, "n", USER, "u", PASSWORD, "p"), HOST);
    }

    @Test
    void aSecretMaySupplyTheUserAndIamAuthNeedsARegion() {
        DatabaseConfig fromSecret = DatabaseConfig.from(env(HOST, "h", NAME, "n", SECRET_ARN, ARN, AWS_REGION, "eu-west-1"));
        DatabaseConfig iam = DatabaseConfig.from(env(HOST, "h", PORT, "6543", NAME, "n", USER, "writer", IAM_AUTH, "true",
                AWS_REGION, "eu-west-1"));

        assertThat(fromSecret.passwordSource()).isEqualTo(new PasswordSource.FromSecret(ARN, "eu-west-1"));
        assertThat(fromSecret.user()).isNull();
        assertThat(iam.passwordSource()).isEqualTo(new PasswordSource.IamToken("h", 6543, "writer", "eu-west-1"));
    }

    @Test
    void passwordsNeverAppearInDescriptions() {
        DatabaseConfig fixed = DatabaseConfig.from(env(HOST, "h", NAME, "n", USER, "u", PASSWORD, "s3cret-pw"));
        DatabaseConfig inUrl = DatabaseConfig.from(env(URL, "jdbc:postgresql://h/db?user=u&password=s3cret-pw&ssl=true"));

        assertThat(fixed.describe()).doesNotContain("s3cret-pw");
        assertThat(fixed.toString()).doesNotContain("s3cret-pw");
        assertThat(fixed.passwordSource().toString()).doesNotContain("s3cret-pw");
        assertThat(inUrl.describe()).doesNotContain("s3cret-pw").contains("password=***&ssl=true");
        assertThatThrownBy(() -> DatabaseConfig.from(env(URL, "postgres://h/db?password=s3cret-pw")))
                .message().doesNotContain("s3cret-pw");
        assertThatThrownBy(() -> DatabaseConfig.from(env(URL, "jdbc:mysql://h/db?password=s3cret-pw")))
                .message().doesNotContain("s3cret-pw");
    }

    private static void assertError(Map<String, String> env, String variable) {
        assertThatThrownBy(() -> DatabaseConfig.from(env))
                .as("error for %s", env)
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.variable()).isEqualTo(variable))
                .hasMessageStartingWith(variable + ": ");
    }

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }
}
