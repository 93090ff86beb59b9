package io.clipstream.cli.pairs;

import io.clipstream.cli.kafka.KafkaOptions;
import io.clipstream.cli.kafka.Progress;
import io.clipstream.schemas.ImageTextPair;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes image–text pairs to {@value Topics#PAIRS_RAW} and tells a {@link Progress} what was acknowledged and
 * what failed and why. Shared by {@code pairs import} and {@code demo}, so both produce the same records.
 */
public final class PairPublisher implements AutoCloseable {

    private final KafkaProducer<String, ImageTextPair> producer;
    private final Progress progress;

    public PairPublisher(Properties producerProperties, Progress progress) {
        this.producer = new KafkaProducer<>(producerProperties, new StringSerializer(),
                AvroSerde.of(ImageTextPair.class));
        KafkaOptions.awaitTopic(producer, producerProperties, Topics.PAIRS_RAW);
        this.progress = progress;
    }

    /** Sends one pair without waiting; an entry with a problem or an unreadable image counts as failed. */
    public void publish(PairSource.Entry entry) {
        if (entry.problem() != null) {
            progress.failed(entry.problem());
            return;
        }
        byte[] image;
        try {
            image = PairSource.readImage(entry.image());
        } catch (UncheckedIOException e) {
            progress.failed("cannot read image: " + e.getCause().getMessage());
            return;
        }
        ImageTextPair pair = ImageTextPair.newBuilder().setPairId(entry.pairId())
                .setImage(ByteBuffer.wrap(image)).setCaption(entry.caption())
                .setSource(entry.image().toString()).setEventTime(Instant.now())
                .setAttributes(entry.attributes()).build();
        producer.send(new ProducerRecord<>(Topics.PAIRS_RAW, entry.pairId(), pair), (meta, error) -> {
            if (error == null) {
                progress.sent();
            } else {
                progress.failed("Kafka: " + error.getMessage());
            }
        });
    }

    /** Waits until every pair sent is acknowledged or has failed, then closes the producer. */
    @Override
    public void close() {
        producer.flush();
        producer.close();
    }
}
