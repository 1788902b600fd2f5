package dev.bookstore.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.bookstore.connection.DatabaseConfig;
import dev.bookstore.connection.PostgresConnector;
import dev.bookstore.testkit.MotoServer;
import dev.bookstore.testkit.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The password-from-secret path against moto_server's Secrets Manager, connecting to a real PostgreSQL. */
class SecretPasswordIT {

    static MotoServer moto;
    static SecretsManagerClient secrets;

    @BeforeAll
    static void startSecretsManager() {
        assumeThat(MotoServer.isInstalled()).as("moto_server on the PATH").isTrue();
        moto = MotoServer.start();
        // The SDK's standard endpoint and credential settings, as an operator would set them.
        System.setProperty("aws.endpointUrl", moto.endpoint());
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        secrets = SecretsManagerClient.builder().endpointOverride(java.net.URI.create(moto.endpoint()))
                .region(Region.EU_WEST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))).build();
    }

    @AfterAll
    static void stop() {
        System.clearProperty("aws.endpointUrl");
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void theUserAndPasswordComeFromTheSecretThatRdsWrites() throws Exception {
        String arn = secrets.createSecret(r -> r.name("db-" + UUID.randomUUID())
                .secretString("{\"username\":\"postgres\",\"password\":\"from-the-secret\",\"engine\":\"postgres\","
                        + "\"host\":\"ignored\",\"port\":5432,\"dbname\":\"ignored\"}")).arn();
        String url = TestPostgres.shared().jdbcUrl().replaceAll("[?&]user=[^&]*", "");
        DatabaseConfig config = DatabaseConfig.from(Map.of(DatabaseConfig.URL, url,
                DatabaseConfig.SECRET_ARN, arn, DatabaseConfig.AWS_REGION, "eu-west-1"));

        try (Connection connection = new PostgresConnector(config, new SecretsManagerSecrets()).open();
             ResultSet rs = connection.createStatement().executeQuery("SELECT current_user")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("postgres");
        }
    }

    @Test
    void aSecretThatIsNotRdsJsonIsReportedWithoutQuotingIt() {
        String arn = secrets.createSecret(r -> r.name("bad-" + UUID.randomUUID()).secretString("hunter2-not-json")).arn();
        DatabaseConfig config = DatabaseConfig.from(Map.of(DatabaseConfig.URL, TestPostgres.shared().jdbcUrl(),
                DatabaseConfig.SECRET_ARN, arn, DatabaseConfig.AWS_REGION, "eu-west-1"));

        assertThatThrownBy(() -> new PostgresConnector(config, new SecretsManagerSecrets()).open())
                .hasMessageContaining(arn).hasMessageContaining("not the JSON that RDS writes")
                .satisfies(e -> assertThat(e.toString()).doesNotContain("hunter2"));
    }
}
