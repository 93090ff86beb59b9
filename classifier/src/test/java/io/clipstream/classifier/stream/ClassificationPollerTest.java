package io.clipstream.classifier.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.broker.KafkaTestClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/** The live feed's poller against the real in-process broker: it survives a failing consumer and says so meanwhile. */
class ClassificationPollerTest {

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void aFailingConsumerIsReplacedAfterABackoffAndHealthIsDownWithTheReasonMeanwhile() throws Exception {
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        // A topic of its own: other tests read every classification on the shared broker.
        String topic = "test-feed-" + run;
        try (Admin admin = Admin.create(Map.<String, Object>of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
        AtomicInteger made = new AtomicInteger();
        List<FeedHealth> seenWhileFailing = new CopyOnWriteArrayList<>();
        List<String> received = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicReference<ClassificationPoller> self = new java.util.concurrent.atomic.AtomicReference<>();
        ClassificationPoller poller = new ClassificationPoller(topic, () -> {
            int n = made.incrementAndGet();
            if (n <= 2) {
                // As when the broker's name does not resolve yet, or the client cannot be built.
                throw new KafkaException("cannot build consumer " + n);
            }
            seenWhileFailing.add(self.get().health()); // what readiness said just before the third try
            return consumer(bootstrap);
        }, record -> {
            if (record.key() != null && record.key().startsWith(run)) {
                received.add(record.key());
            }
        }, Duration.ofMillis(20), Duration.ofMillis(40));
        self.set(poller);
        try {
            poller.start("test-feed");
            FeedHealth failing = seenWhileFailingOrNow(poller, seenWhileFailing);
            assertFalse(failing.up());
            assertTrue(failing.reason().contains("cannot build consumer"), failing.reason());
            assertNotNull(failing.failingSince());

            awaitTrue(() -> poller.health().up(), "up again once a consumer works");
            assertEquals(3, made.get(), "restarted, not given up");
            assertTrue(poller.health().restarts() >= 2, "the restarts are counted");
            try (KafkaTestClient kafka = KafkaTestClient.shared()) {
                kafka.send(topic, run + "-a", "x".getBytes(StandardCharsets.UTF_8));
            }
            awaitTrue(() -> received.contains(run + "-a"), "the feed delivers after the restarts");
        } finally {
            poller.close();
        }
    }

    private static FeedHealth seenWhileFailingOrNow(ClassificationPoller poller,
            List<FeedHealth> seen) throws InterruptedException {
        awaitTrue(() -> !seen.isEmpty(), "the third consumer is asked for");
        return seen.getFirst();
    }

    private static Consumer<String, byte[]> consumer(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
