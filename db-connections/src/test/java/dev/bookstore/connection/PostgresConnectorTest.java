package dev.bookstore.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bookstore.config.InvalidConfigurationException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresConnectorTest {

    private static final DatabaseConfig FROM_SECRET = DatabaseConfig.from(Map.of(DatabaseConfig.HOST, "db.example",
            DatabaseConfig.NAME, "bookstore", DatabaseConfig.SECRET_ARN, "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db",
            DatabaseConfig.AWS_REGION, "eu-west-1"));

    @Test
    void aSecretIsRefusedAtStartByAFunctionThatCannotReadOne() {
        assertThatThrownBy(() -> new PostgresConnector(FROM_SECRET))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining(DatabaseConfig.SECRET_ARN)
                .hasMessageContaining(DatabaseConfig.IAM_AUTH + "=true");
    }

    @Test
    void aFunctionGivenASecretSourceTakesTheSameConfiguration() {
        PostgresConnector connector = new PostgresConnector(FROM_SECRET, secret -> "{}");

        assertThat(connector.config()).isEqualTo(FROM_SECRET);
    }
}
