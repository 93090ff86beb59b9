package io.clipstream.trainer.stream;

import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.schemas.serde.AvroSerde;
import io.clipstream.trainer.checkpoint.CheckpointAnnouncer;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** Announces checkpoints on the compacted checkpoints topic, keyed by model version, acknowledged by all replicas. */
public final class KafkaCheckpointAnnouncer implements CheckpointAnnouncer, AutoCloseable {

    private final KafkaProducer<String, Checkpoint> producer;
    private final String topic;

    public KafkaCheckpointAnnouncer(KafkaClientSettings kafka, String topic, String clientId) {
        Map<String, Object> props = kafka.clientConfig();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), AvroSerde.of(Checkpoint.class));
        this.topic = topic;
    }

    @Override
    public void announce(Checkpoint checkpoint) throws AnnouncementException {
        try {
            producer.send(new ProducerRecord<>(topic, checkpoint.getVersion(), checkpoint)).get(90, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AnnouncementException("Interrupted while announcing version " + checkpoint.getVersion(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AnnouncementException("Version " + checkpoint.getVersion() + " was not announced on " + topic
                    + ": " + e, e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
