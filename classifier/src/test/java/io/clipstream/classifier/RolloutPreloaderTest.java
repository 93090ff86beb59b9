package io.clipstream.classifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.classifier.scoring.LabelEmbeddingCache;
import io.clipstream.model.serve.CheckpointSource;
import io.clipstream.model.serve.ModelVersions;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.schemas.Label;
import io.clipstream.schemas.LabelSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preloader on its own thread against real tiny checkpoints: no Quarkus, no Kafka, no embedding. */
class RolloutPreloaderTest {

    private static final Duration TICK = Duration.ofMillis(20);

    @TempDir
    static Path storeDir;
    @TempDir
    Path root;

    /** Checkpoints are immutable: one store serves every test. */
    private static ArtifactStore store;
    private Path rollout;
    private ModelVersions versions;
    private LabelEmbeddingCache labelEmbeddings;
    private RolloutPreloader preloader;
    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    private final Handler warningsHandler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void checkpoints() throws Exception {
        store = ArtifactStore.open(storeDir.toString());
        TinyCheckpoints.publishRandom(store, "1", 1);
        TinyCheckpoints.publishRandom(store, "2", 2);
    }

    @BeforeEach
    void parts() {
        rollout = root.resolve("rollout.env");
        versions = new ModelVersions(TinyCheckpoints.resolver(store)::loadVersion, 3, Duration.ofSeconds(30),
                Clock.systemUTC());
        labelEmbeddings = new LabelEmbeddingCache(8);
        Logger.getLogger(RolloutPreloader.class.getName()).addHandler(warningsHandler);
    }

    @AfterEach
    void close() throws Exception {
        Logger.getLogger(RolloutPreloader.class.getName()).removeHandler(warningsHandler);
        if (preloader != null) {
            preloader.close();
        }
        labelEmbeddings.close();
        versions.close();
    }

    @Test
    void everyVersionTheFileNamesIsLoadedWithTheLabelEmbeddingsBeforeAnyEmbeddingArrives() throws Exception {
        LabelSet animals = LabelSet.newBuilder().setId("animals").setRevision(1)
                .setLabels(List.of(new Label("cat", List.of()), new Label("dog", List.of()))).setTopK(1)
                .setUpdatedTime(Instant.now()).build();
        AtomicReference<List<LabelSet>> labelSets = new AtomicReference<>();
        preloader = new RolloutPreloader(new CheckpointSource(Optional.of("1"), Optional.of(rollout)), versions,
                labelEmbeddings, () -> {
                    // As the label-set store answers before Kafka Streams runs.
                    List<LabelSet> sets = labelSets.get();
                    if (sets == null) {
                        throw new IllegalStateException("the label-set store is not ready yet");
                    }
                    return sets;
                }, 8);
        preloader.start(TICK);

        awaitTrue(() -> versions.loadedVersions().contains("1"), "no file yet: the configured version");
        assertTrue(labelEmbeddings.keys().isEmpty(), "no label sets readable yet");
        labelSets.set(List.of(animals));
        awaitTrue(() -> labelEmbeddings.keys().contains(new LabelEmbeddingCache.Key("animals", 1, "1")),
                "the label embeddings follow once the sets can be read");

        writeRollout("2");
        awaitTrue(() -> versions.loadedVersions().contains("2"), "the rewritten file's version");
        awaitTrue(() -> labelEmbeddings.keys().contains(new LabelEmbeddingCache.Key("animals", 1, "2")),
                "with its label embeddings");
        assertEquals(List.of("1", "2"), versions.loadedVersions());
        assertTrue(warnings.isEmpty(), () -> "no warnings: " + messages());
    }

    @Test
    void anUnknownVersionIsLoggedOnceAndTheWatcherGoesOn() throws Exception {
        writeRollout("9");
        preloader = new RolloutPreloader(new CheckpointSource(Optional.empty(), Optional.of(rollout)), versions,
                labelEmbeddings, List::of, 8);
        preloader.start(TICK);

        awaitTrue(() -> !warnings.isEmpty(), "the failed preload is logged");
        Thread.sleep(TICK.multipliedBy(10).toMillis());
        assertEquals(1, warnings.size(), () -> "logged once, not on every tick: " + messages());
        assertTrue(messages().getFirst().contains("model version 9"), messages().getFirst());
        assertTrue(versions.loadedVersions().isEmpty());

        writeRollout("2");
        awaitTrue(() -> versions.loadedVersions().contains("2"), "the watcher is still alive");
    }

    @Test
    void anEngineThatCannotStartDoesNotEndTheWatcher() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        ModelVersions broken = new ModelVersions(version -> {
            attempts.incrementAndGet();
            throw new NoClassDefFoundError("Could not initialize class ai.djl.engine.Engine");
        }, 3, Duration.ZERO, Clock.systemUTC());
        writeRollout("1");
        preloader = new RolloutPreloader(new CheckpointSource(Optional.empty(), Optional.of(rollout)), broken,
                labelEmbeddings, List::of, 8);
        preloader.start(TICK);

        awaitTrue(() -> attempts.get() >= 3, "tried again on later ticks");
        assertEquals(1, warnings.size(), () -> "logged once: " + messages());
        assertFalse(broken.loadedVersions().contains("1"));
    }

    private List<String> messages() {
        return warnings.stream().map(record -> String.valueOf(record.getMessage())).toList();
    }

    /** Writes the rollout file in one step, as the kubelet swaps a mounted ConfigMap. */
    private void writeRollout(String version) throws Exception {
        Path temp = Files.createTempFile(root, ".rollout", ".tmp");
        Files.writeString(temp, "# the served checkpoint\nCLIPSTREAM_MODEL_CHECKPOINT=" + version + "\n",
                StandardCharsets.UTF_8);
        Files.move(temp, rollout, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
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
