package io.clipstream.cli.kafka;

import io.clipstream.schemas.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes encoded images to {@value Topics#IMAGES} in the plain form the embedder accepts: the file's bytes as the
 * value, the image id as the key and a {@value #CONTENT_TYPE_HEADER} header. The record timestamp (set when sent) is
 * the image's event time, from which end-to-end latency is measured.
 */
public final class ImagePublisher implements AutoCloseable {

    public static final String CONTENT_TYPE_HEADER = "content-type";

    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "png", "image/png", "jpg", "image/jpeg", "jpeg", "image/jpeg", "gif", "image/gif",
            "bmp", "image/bmp", "webp", "image/webp");

    private final KafkaProducer<String, byte[]> producer;
    private final Progress progress;

    public ImagePublisher(Properties producerProperties, Progress progress) {
        this.producer = new KafkaProducer<>(producerProperties, new StringSerializer(), new ByteArraySerializer());
        this.progress = progress;
    }

    /** Sends one image file without waiting; an unreadable file counts as failed. */
    public void publish(String imageId, Path file) {
        byte[] image;
        try {
            image = Files.readAllBytes(file);
        } catch (IOException e) {
            progress.failed("cannot read image: " + e.getMessage());
            return;
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.IMAGES, imageId, image);
        record.headers().add(CONTENT_TYPE_HEADER, contentType(file).getBytes(StandardCharsets.UTF_8));
        producer.send(record, (meta, error) -> {
            if (error == null) {
                progress.sent();
            } else {
                progress.failed("Kafka: " + error.getMessage());
            }
        });
    }

    /** The media type a file's extension names; unknown extensions are sent as opaque bytes for the embedder to sniff. */
    public static String contentType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "application/octet-stream"
                : CONTENT_TYPES.getOrDefault(name.substring(dot + 1), "application/octet-stream");
    }

    /** Waits until every image sent is acknowledged or has failed, then closes the producer. */
    @Override
    public void close() {
        producer.flush();
        producer.close();
    }
}
