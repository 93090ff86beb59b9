package io.clipstream.cli.kafka;

import io.clipstream.schemas.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes encoded images to {@value Topics#IMAGES} in the plain form the embedder accepts: the file's bytes as the
 * value, the image id as the key, a {@value #CONTENT_TYPE_HEADER} header when the extension names a type, and an
 * {@code attr.<name>} header per attribute (passed through by the embedder). The record timestamp (set when sent) is
 * the image's event time, from which end-to-end latency is measured. Used by {@code images publish} and the demo.
 */
public final class ImagePublisher implements AutoCloseable {

    public static final String CONTENT_TYPE_HEADER = "content-type";
    public static final String ATTRIBUTE_HEADER_PREFIX = "attr.";
    /** Kafka's own record overhead beside the value. */
    private static final int RECORD_OVERHEAD = 64 * 1024;

    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "png", "image/png", "jpg", "image/jpeg", "jpeg", "image/jpeg", "gif", "image/gif",
            "bmp", "image/bmp", "webp", "image/webp");

    private final KafkaProducer<String, byte[]> producer;
    private final Progress progress;

    public ImagePublisher(Properties producerProperties, Progress progress) {
        this.producer = new KafkaProducer<>(producerProperties, new StringSerializer(), new ByteArraySerializer());
        KafkaOptions.awaitTopic(producer, producerProperties, Topics.IMAGES);
        this.progress = progress;
    }

    public void publish(String imageId, Path file) {
        publish(imageId, file, Map.of());
    }

    /**
     * Sends one image file without waiting; a file that cannot be read, is empty or is larger than a record of the
     * topic may hold counts as failed, with the reason.
     */
    public void publish(String imageId, Path file, Map<String, String> attributes) {
        byte[] image;
        try {
            image = Files.readAllBytes(file);
        } catch (IOException e) {
            progress.failed("cannot read " + file + ": " + e.getMessage());
            return;
        }
        if (image.length == 0) {
            progress.failed("empty file: " + file);
            return;
        }
        if (image.length > Topics.MAX_MESSAGE_BYTES - RECORD_OVERHEAD) {
            progress.failed("larger than the " + Topics.MAX_MESSAGE_BYTES / (1024 * 1024) + " MiB a record of "
                    + Topics.IMAGES + " may hold: " + file);
            return;
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.IMAGES, imageId, image);
        contentType(file).ifPresent(type ->
                record.headers().add(CONTENT_TYPE_HEADER, type.getBytes(StandardCharsets.UTF_8)));
        attributes.forEach((name, value) ->
                record.headers().add(ATTRIBUTE_HEADER_PREFIX + name, value.getBytes(StandardCharsets.UTF_8)));
        producer.send(record, (meta, error) -> {
            if (error == null) {
                progress.sent();
            } else {
                progress.failed("Kafka: " + error.getMessage());
            }
        });
    }

    /** The media type a file's extension names; none for others, whose bytes the embedder sniffs. */
    public static Optional<String> contentType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? Optional.empty() : Optional.ofNullable(CONTENT_TYPES.get(name.substring(dot + 1)));
    }

    /** The extensions taken for images, sorted. */
    public static List<String> imageExtensions() {
        return CONTENT_TYPES.keySet().stream().sorted().toList();
    }

    /** Waits until every image sent is acknowledged or has failed, then closes the producer. */
    @Override
    public void close() {
        producer.flush();
        producer.close();
    }
}
