package io.clipstream.classifier.stream;

import io.clipstream.classifier.api.ApiException;
import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.schemas.LabelSet;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Writes label sets (and tombstones) to the compacted label-sets topic and waits for the broker's acknowledgement. */
@ApplicationScoped
public class LabelSetPublisher {

    private final KafkaProducer<String, LabelSet> producer;

    public LabelSetPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        Map<String, Object> props = KafkaClientSettings.of(kafka).clientConfig();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "clipstream-classifier-label-sets");
        producer = new KafkaProducer<>(props, new StringSerializer(), AvroSerde.of(LabelSet.class));
    }

    public void publish(LabelSet set) {
        send(new ProducerRecord<>(Topics.LABEL_SETS, set.getId(), set));
    }

    /** A tombstone: compaction removes the set, the label-set store forgets it. */
    public void delete(String id) {
        send(new ProducerRecord<>(Topics.LABEL_SETS, id, null));
    }

    private void send(ProducerRecord<String, LabelSet> record) {
        try {
            producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(Response.Status.SERVICE_UNAVAILABLE, "interrupted while writing the label set", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new ApiException(Response.Status.SERVICE_UNAVAILABLE,
                    "Kafka did not accept the label set: " + e.getMessage(), e);
        }
    }

    @PreDestroy
    void close() {
        producer.close();
    }
}
