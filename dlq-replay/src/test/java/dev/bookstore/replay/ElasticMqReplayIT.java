package dev.bookstore.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bookstore.testkit.CommandMessages;
import dev.bookstore.testkit.EmbeddedSqs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;

class ElasticMqReplayIT extends ReplaySuite {

    static EmbeddedSqs elasticMq;

    @BeforeAll
    static void start() {
        elasticMq = EmbeddedSqs.start();
    }

    @AfterAll
    static void stop() {
        elasticMq.close();
    }

    @Override
    SqsClient sqs() {
        return elasticMq.client();
    }

    @Override
    String endpoint() {
        return elasticMq.endpoint();
    }

    @Test
    void aNativeMoveTaskMovesEverythingAndIsFollowedToItsEnd() throws Exception {
        for (int i = 0; i < 20; i++) {
            dead(CommandMessages.json(CommandMessages.book("Native " + i)));
        }

        Outcome moved = cli("replay", "--all", "--native", "--yes");

        assertThat(moved.code()).as(moved.err()).isZero();
        assertThat(moved.out()).contains("move task COMPLETED");
        assertThat(drain(queue.sourceUrl())).hasSize(20);
        assertThat(depth(queue.dlqUrl())).isZero();
        assertThat(java.nio.file.Files.readString(audit)).contains("native-move-started", "native-move-completed");
    }
}
