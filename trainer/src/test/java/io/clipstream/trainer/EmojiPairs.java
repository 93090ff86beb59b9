package io.clipstream.trainer;

import io.clipstream.model.Fixtures;
import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.image.InvalidImageException;
import io.clipstream.model.image.RgbImage;
import io.clipstream.model.train.EmojiCorpus;
import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The shared emoji corpus ({@code fixtures/emoji}, located through the build's {@code clipstream.fixtures}) as the
 * NORMALISED pairs ingest would publish: the 64×64 PNG decoded and brought to the training size with the model's own
 * decoder and transform, the caption of {@code pairs.jsonl}.
 */
public final class EmojiPairs {

    /** One concept of the corpus. */
    public record Emoji(String file, String label, String caption) {
        /** The pair id: style and file, e.g. {@code google/1f600.png}. */
        public String pairId(String style) {
            return style + "/" + file;
        }
    }

    private EmojiPairs() {
    }

    public static Path root() {
        return Fixtures.resolve("emoji");
    }

    public static List<Emoji> all() {
        return EmojiCorpus.all().stream().map(e -> new Emoji(e.file(), e.label(), e.caption())).toList();
    }

    /** The concept's image in {@code style} at {@code size}² pixels. */
    public static RgbImage image(String style, Emoji emoji, int size) {
        Path file = root().resolve(style).resolve(emoji.file());
        try {
            return ClipImageTransform.openAi(size).preprocess(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InvalidImageException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
    }

    public static NormalizedPair normalized(String style, Emoji emoji, int size, Instant eventTime) {
        RgbImage image = image(style, emoji, size);
        return NormalizedPair.newBuilder().setPairId(emoji.pairId(style)).setWidth(size).setHeight(size)
                .setPixels(ByteBuffer.wrap(image.pixels())).setCaption(emoji.caption())
                .setContentHash(sha256(image.pixels())).setEventTime(eventTime).setNormalizedTime(eventTime)
                .setSource(style).build();
    }

    /** Publishes pairs keyed by pair id (so the partition follows the id) and waits for every acknowledgement. */
    public static void publish(String bootstrapServers, String topic, List<NormalizedPair> pairs) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Topics.MAX_MESSAGE_BYTES);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // A topic created a moment ago may answer the first batch with NotLeaderOrFollower; with several batches in
        // flight the idempotent producer's retry then meets later sequence numbers and never gets through (seen
        // under load). One batch in flight per partition retries cleanly.
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        AvroSerde<NormalizedPair> serde = AvroSerde.of(NormalizedPair.class);
        try (KafkaProducer<String, NormalizedPair> producer = new KafkaProducer<>(props, new StringSerializer(), serde)) {
            List<Future<RecordMetadata>> acks = new ArrayList<>(pairs.size());
            for (NormalizedPair pair : pairs) {
                acks.add(producer.send(new ProducerRecord<>(topic, pair.getPairId(), pair)));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("Cannot publish to " + topic + ": " + e, e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
