package io.clipstream.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.broker.KafkaTestClient;
import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.serde.AvroSerde;
import io.clipstream.trainer.checkpoint.ResumePoint;
import io.clipstream.trainer.stream.KafkaCheckpointAnnouncer;
import io.clipstream.trainer.stream.KafkaPairSource;
import io.clipstream.trainer.runtime.TrainerLiveness;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up under the trainer: periodic checkpoints fail mid-write with a real ENOSPC, nothing half-written
 * is published or announced, the status reports every failure, checkpoints are retried while training goes on, and
 * liveness goes DOWN once the failures in a row reach the bound; once space is back, the next try stores everything.
 */
class TrainCheckpointFailureTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(150);

    @Test
    void retriesAFailingCheckpointReportsItAndFailsLivenessAfterTheBound(@TempDir Path storeDir) throws Exception {
        String bootstrap = EmbeddedKafka.shared().bootstrapServers();
        String topic = TestTopics.pairs(bootstrap, 1);
        String checkpointsTopic = TestTopics.checkpoints(bootstrap);
        List<EmojiPairs.Emoji> emoji = EmojiPairs.all().subList(0, 160);
        List<NormalizedPair> pairs = new ArrayList<>();
        for (int i = 0; i < emoji.size(); i++) {
            pairs.add(EmojiPairs.normalized("google", emoji.get(i), 64, Instant.ofEpochSecond(1_700_000_000L + i)));
        }
        EmojiPairs.publish(bootstrap, topic, pairs);

        FullDisk store = new FullDisk(ArtifactStore.open(storeDir.toString()));
        TrainerSettings settings = new TestSettings(topic).batch(16, 0.25, 32).checkpointEvery(2)
                .checkpointRetry(new TrainerSettings.Retry(Duration.ofMillis(20), Duration.ofMillis(200), 2)).build();
        RecordingListener listener = new RecordingListener();
        AtomicInteger readers = new AtomicInteger();
        try (KafkaCheckpointAnnouncer announcer = new KafkaCheckpointAnnouncer(KafkaClientSettings.plaintext(bootstrap), checkpointsTopic, "full")) {
            TrainingRun run = new TrainingRun(settings, store, () -> new KafkaPairSource(KafkaClientSettings.plaintext(bootstrap), topic, "earliest",
                    "full-" + readers.incrementAndGet()), announcer, listener, false);
            run.start();
            try {
                Await.until(() -> run.status().checkpoints().checkpointFailures().consecutive() >= 3
                        || run.state() == RunState.FAILED, TIMEOUT, () -> run.status().toString());
                TrainerStatus failing = run.status();
                assertNotEquals(RunState.FAILED, failing.run().state(), failing.toString());
                TrainerStatus.CheckpointFailures failures = failing.checkpoints().checkpointFailures();
                assertTrue(failures.lastError().contains("No space left on device"), failures.toString());
                assertTrue(failures.persistent() && failures.nextAttempt() != null, failures.toString());
                assertEquals(HealthCheckResponse.Status.DOWN, TrainerLiveness.of(failing).getStatus(),
                        "liveness DOWN after the bound");
                assertTrue(store.attempts.get() >= 3, "retried: " + store.attempts);
                assertEquals(List.of(), store.versions(), "nothing half-written is published");
                assertEquals(Optional.empty(), ResumePoint.latest(store));
                assertEquals(List.of(), listener.checkpoints(), "nothing is announced");
                assertTrue(failing.progress().step() > 2, "training went on: " + failing.progress().step());

                store.full.set(false);
                Await.until(() -> !listener.checkpoints().isEmpty() || run.state() == RunState.FAILED, TIMEOUT,
                        () -> run.status().toString());
                TrainerStatus recovered = run.status();
                assertEquals("1", recovered.checkpoints().lastCheckpoint().version(), recovered.toString());
                assertEquals(0, recovered.checkpoints().checkpointFailures().consecutive());
                assertFalse(recovered.checkpoints().checkpointFailures().persistent());
                assertTrue(recovered.checkpoints().checkpointFailures().total() >= 3, recovered.toString());
                assertEquals(HealthCheckResponse.Status.UP, TrainerLiveness.of(recovered).getStatus());
                Checkpoints.verify(store.locate("1").orElseThrow());
                assertEquals("1", ResumePoint.latest(store).orElseThrow().version());
            } finally {
                run.stop(false, Duration.ofSeconds(30));
            }
        }
        try (Stream<Path> left = Files.list(storeDir.resolve(".staging"))) {
            assertEquals(List.of(), left.toList(), "failed attempts leave no staging directory");
        }
        try (KafkaTestClient kafka = new KafkaTestClient(bootstrap)) {
            List<ConsumerRecord<String, Checkpoint>> announced = kafka.readUntil(checkpointsTopic,
                    AvroSerde.of(Checkpoint.class), r -> r.stream().anyMatch(c -> c.key().equals("1")),
                    Duration.ofSeconds(30));
            List<String> stored = store.versions();
            for (ConsumerRecord<String, Checkpoint> record : announced) {
                assertTrue(stored.contains(record.key()), "announced " + record.key() + ", stored " + stored);
                Checkpoints.verify(store.locate(record.key()).orElseThrow());
            }
        }
    }

    /**
     * The trainer's store on a disk that is full while {@link #full} is set: the evaluation pool, written after the
     * tokenizer and two other files, goes to /dev/full, which fails every write with ENOSPC (also for root, which
     * read-only permissions would not stop).
     */
    private static final class FullDisk implements ArtifactStore {
        final AtomicBoolean full = new AtomicBoolean(true);
        final AtomicInteger attempts = new AtomicInteger();
        private final ArtifactStore disk;

        FullDisk(ArtifactStore disk) {
            this.disk = disk;
        }

        @Override
        public Path newStagingDirectory() throws IOException {
            Path staging = disk.newStagingDirectory();
            if (full.get()) {
                attempts.incrementAndGet();
                Files.createSymbolicLink(staging.resolve("evaluation.pairs"), Path.of("/dev/full"));
            }
            return staging;
        }

        @Override
        public int clearStaging() throws IOException {
            return disk.clearStaging();
        }

        @Override
        public URI uri(String version) {
            return disk.uri(version);
        }

        @Override
        public URI publish(String version, Path completeDirectory) throws IOException {
            return disk.publish(version, completeDirectory);
        }

        @Override
        public boolean delete(String version) throws IOException {
            return disk.delete(version);
        }

        @Override
        public Optional<Path> locate(String version) throws IOException {
            return disk.locate(version);
        }

        @Override
        public List<String> versions() throws IOException {
            return disk.versions();
        }
    }
}
