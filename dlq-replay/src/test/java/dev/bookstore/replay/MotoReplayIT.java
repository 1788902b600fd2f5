package dev.bookstore.replay;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.bookstore.testkit.EmbeddedSqs;
import dev.bookstore.testkit.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The same suite on moto_server, an independent SQS; it has no StartMessageMoveTask, so no native move here. */
class MotoReplayIT extends ReplaySuite {

    static MotoServer moto;
    static SqsClient client;

    @BeforeAll
    static void start() {
        assumeThat(MotoServer.isInstalled()).as("moto_server on the PATH").isTrue();
        moto = MotoServer.start();
        client = EmbeddedSqs.client(moto.endpoint());
    }

    @AfterAll
    static void stop() {
        if (moto != null) {
            client.close();
            moto.close();
        }
    }

    /** moto_server answers each call in Python, several times slower than ElasticMQ: 150 still spans 15 receive batches. */
    @Override
    int bulk() {
        return 150;
    }

    @Override
    SqsClient sqs() {
        return client;
    }

    @Override
    String endpoint() {
        return moto.endpoint();
    }
}
