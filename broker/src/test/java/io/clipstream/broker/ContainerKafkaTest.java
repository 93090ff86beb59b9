package io.clipstream.broker;

import io.clipstream.schemas.Topics;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** The Testcontainers twin of {@link EmbeddedKafkaTest}: the same round trip where a Docker engine exists. */
@Testcontainers(disabledWithoutDocker = true)
class ContainerKafkaTest {

    @Container
    static final KafkaContainer KAFKA = new KafkaContainer("apache/kafka:4.1.1")
            .withEnv("KAFKA_MESSAGE_MAX_BYTES", Integer.toString(Topics.MAX_MESSAGE_BYTES + 1024));

    @Test
    void avroRecordsRoundTripThroughAContainerBroker() {
        TopicProvisioner.ensureCatalog(KAFKA.getBootstrapServers(), (short) 1);
        BrokerRoundTrip.check(KAFKA.getBootstrapServers(), Topics.IMAGES);
    }
}
