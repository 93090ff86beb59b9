package io.clipstream.cli.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.broker.KafkaTestClient;
import io.clipstream.cli.kafka.ImagePublisher;
import io.clipstream.cli.kafka.KafkaOptions;
import io.clipstream.cli.kafka.Progress;
import io.clipstream.model.image.TestImages;
import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.schemas.RejectReason;
import io.clipstream.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's publishing and watching against a real broker. */
class DemoKafkaTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private static String bootstrap() {
        return EmbeddedKafka.shared().bootstrapServers();
    }

    @Test
    void publishesImagesAsRawBytesKeyedByIdWithTheirContentType(@TempDir Path dir) throws Exception {
        String prefix = "img-" + UUID.randomUUID().toString().substring(0, 8);
        Path png = dir.resolve("a.png");
        Files.write(png, TestImages.png(20, 20, 1));
        Path jpg = dir.resolve("b.JPG");
        Files.write(jpg, TestImages.jpeg(TestImages.picture(20, 20, 2)));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Progress progress = new Progress("images", 3, new PrintStream(out, true, StandardCharsets.UTF_8));

        try (ImagePublisher publisher = new ImagePublisher(
                KafkaOptions.of(bootstrap()).producerProperties("test-images"), progress)) {
            publisher.publish(prefix + "-a", png);
            publisher.publish(prefix + "-b", jpg);
            publisher.publish(prefix + "-c", dir.resolve("missing.png"));
        }
        assertEquals(2, progress.sentCount());
        assertEquals(1, progress.failedCount());

        Map<String, ConsumerRecord<String, byte[]>> read = new HashMap<>();
        try (TopicTail tail = new TopicTail(KafkaClientSettings.plaintext(bootstrap()), List.of(Topics.IMAGES))) {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (read.size() < 2 && System.nanoTime() < deadline) {
                tail.poll(Duration.ofMillis(500)).stream().filter(r -> r.key().startsWith(prefix))
                        .forEach(r -> read.put(r.key(), r));
            }
        }
        assertEquals(2, read.size(), read.keySet().toString());
        assertArrayEquals(Files.readAllBytes(png), read.get(prefix + "-a").value());
        assertEquals("image/png", header(read.get(prefix + "-a")));
        assertEquals("image/jpeg", header(read.get(prefix + "-b")));
    }

    @Test
    void collectsOutcomesFromSeveralTopicsFromTheirBeginning() {
        String image = "out-" + UUID.randomUUID().toString().substring(0, 8);
        Instant t0 = Instant.now();
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.send(Topics.CLASSIFICATIONS, image + "-1",
                    DemoRecords.classification(image + "-1", "demo", "3", t0, t0.plusMillis(70), "bug", "ant"));
            kafka.send(Topics.IMAGES_REJECTED, image + "-2",
                    DemoRecords.rejected(image + "-2", RejectReason.CORRUPT_IMAGE, "embedder", Topics.IMAGES));
        }
        ImageOutcomes outcomes = new ImageOutcomes("demo", Map.of(image + "-1", "ant", image + "-2", "bee"));
        try (TopicTail tail = new TopicTail(KafkaClientSettings.plaintext(bootstrap()), ImageOutcomes.TOPICS)) {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (!outcomes.accountsFor(2) && System.nanoTime() < deadline) {
                tail.poll(Duration.ofMillis(500)).forEach(r -> outcomes.accept(r.topic(), r.key(), r.value()));
            }
        }
        assertTrue(outcomes.accountsFor(2));
        assertEquals(70, outcomes.classified().get(0).latencyMillis());
        assertEquals(List.of("bug", "ant"), outcomes.classified().get(0).ranked());
        assertEquals(List.of(image + "-2"), List.copyOf(outcomes.rejected().keySet()));
    }

    private static String header(ConsumerRecord<String, byte[]> record) {
        return new String(record.headers().lastHeader(ImagePublisher.CONTENT_TYPE_HEADER).value(),
                StandardCharsets.UTF_8);
    }
}
