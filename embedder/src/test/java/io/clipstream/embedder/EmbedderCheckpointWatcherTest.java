package io.clipstream.embedder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.model.image.ImageLimits;
import io.clipstream.model.serve.CheckpointResolver;
import io.clipstream.model.serve.CheckpointSource;
import io.clipstream.model.store.ArtifactStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher against real (random, tiny) checkpoints, driven tick by tick: no Quarkus, no timing. */
class EmbedderCheckpointWatcherTest {

    @TempDir
    static Path storeRoot;
    @TempDir
    Path root;

    /** Checkpoints are immutable: one store serves every test. */
    private static ArtifactStore store;
    private Path rollout;
    private ActiveModel active;
    private final List<String> loads = new ArrayList<>();
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @BeforeAll
    static void store() throws Exception {
        store = ArtifactStore.open(storeRoot.toString());
        TestCheckpoints.publish(store, "1", "tiny");
        TestCheckpoints.publish(store, "2", "tiny");
        TestCheckpoints.publishCorrupt(store, "3", "tiny");
    }

    @BeforeEach
    void model() {
        rollout = root.resolve("rollout.env");
        active = new ActiveModel();
    }

    @AfterEach
    void close() throws Exception {
        active.close();
    }

    private CheckpointWatcher watcher(Optional<String> configured) {
        CheckpointResolver resolver = new CheckpointResolver(store, Optional.empty(), ImageLimits.DEFAULT);
        Clock clock = new Clock() {
            @Override
            public Instant instant() {
                return now;
            }

            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }
        };
        return new CheckpointWatcher(new CheckpointSource(configured, Optional.of(rollout)), resolver::load, active,
                Duration.ofMinutes(1), clock, new CheckpointWatcher.Listener() {
                    @Override
                    public void loaded(String version, Duration took) {
                        loads.add("loaded " + version);
                    }

                    @Override
                    public void failed(String reference, Duration took) {
                        loads.add("failed " + reference);
                    }
                });
    }

    @Test
    void withNothingConfiguredNothingServesAndTheStatusSaysWhereToConfigure() throws Exception {
        CheckpointWatcher watcher = watcher(Optional.empty());
        ModelStatus status = watcher.check();
        assertFalse(status.serving());
        assertTrue(status.summary().startsWith("no checkpoint configured"), status.summary());
        assertTrue(status.summary().contains(rollout.toString()), status.summary());
        assertTrue(active.version().isEmpty());
        assertTrue(loads.isEmpty());
    }

    @Test
    void theFileWinsOverTheConfigurationAndARewriteSwitchesTheModel() throws Exception {
        CheckpointWatcher watcher = watcher(Optional.of("1"));
        assertEquals("1", watcher.check().activeVersion(), "no file yet: the configured checkpoint");
        assertEquals("clipstream.model.checkpoint", watcher.status().requestedBy());

        TestCheckpoints.writeRollout(rollout, "2");
        ModelStatus status = watcher.check();
        assertEquals("2", status.activeVersion());
        assertEquals("2", active.version().orElseThrow());
        assertEquals("file " + rollout, status.requestedBy());
        watcher.check();
        assertEquals(List.of("loaded 1", "loaded 2"), loads, "the same checkpoint is not loaded twice");

        TestCheckpoints.writeRollout(rollout, "");
        assertEquals("1", watcher.check().activeVersion(), "an empty file defers to the configuration again");
    }

    @Test
    void aVersionWhoseManifestIsNotTheOneTheRolloutPinsIsRefusedAndTheOldOneServes() throws Exception {
        TestCheckpoints.writeRollout(rollout, "1");
        CheckpointWatcher watcher = watcher(Optional.empty());
        assertEquals("1", watcher.check().activeVersion());

        String pinOfOne = Checkpoints.sha256(store.locate("1").orElseThrow().resolve(Checkpoints.MANIFEST_FILE));
        Files.writeString(rollout, "CLIPSTREAM_MODEL_CHECKPOINT=2\nCLIPSTREAM_MODEL_CHECKPOINT_SHA256=" + pinOfOne
                + "\n");
        ModelStatus status = watcher.check();
        assertEquals("1", status.activeVersion(), "the old model keeps serving");
        assertEquals("2", status.requestedCheckpoint());
        assertTrue(status.lastLoadError().contains("is not the one rolled out"), status.lastLoadError());
        assertTrue(status.lastLoadError().contains(pinOfOne), status.lastLoadError());
        assertEquals(List.of("loaded 1", "failed 2"), loads);

        String pinOfTwo = Checkpoints.sha256(store.locate("2").orElseThrow().resolve(Checkpoints.MANIFEST_FILE));
        Files.writeString(rollout, "CLIPSTREAM_MODEL_CHECKPOINT=2\nCLIPSTREAM_MODEL_CHECKPOINT_SHA256=" + pinOfTwo
                + "\n");
        assertEquals("2", watcher.reload().activeVersion(), "the right pin loads");
    }

    @Test
    void aCorruptCheckpointIsRefusedTheOldOneServesAndItIsRetriedOnlyAfterTheInterval() throws Exception {
        TestCheckpoints.writeRollout(rollout, "1");
        CheckpointWatcher watcher = watcher(Optional.empty());
        watcher.check();

        TestCheckpoints.writeRollout(rollout, "3");
        ModelStatus status = watcher.check();
        assertEquals("1", status.activeVersion(), "the old model keeps serving");
        assertEquals("3", status.requestedCheckpoint());
        assertTrue(status.lastLoadError().contains("SHA-256 mismatch"), status.lastLoadError());
        assertTrue(status.summary().startsWith("serving model version 1 in fp32; the last load failed"), status.summary());
        assertEquals("1", active.version().orElseThrow());

        watcher.check();
        assertEquals(List.of("loaded 1", "failed 3"), loads, "not retried within the interval");
        now = now.plus(Duration.ofMinutes(2));
        watcher.check();
        assertEquals(List.of("loaded 1", "failed 3", "failed 3"), loads, "retried after it");
        watcher.reload();
        assertEquals(4, loads.size(), "reload tries at once");

        TestCheckpoints.writeRollout(rollout, "2");
        status = watcher.check();
        assertEquals("2", status.activeVersion());
        assertNull(status.lastLoadError(), "a good load clears the error");
    }

    @Test
    void anEngineThatCannotStartIsAFailedLoadInTheStatusAndTheWatcherKeepsTicking() throws Exception {
        TestCheckpoints.writeRollout(rollout, "1");
        CheckpointWatcher.Loader broken = reference -> {
            throw new NoClassDefFoundError("Could not initialize class ai.djl.engine.Engine");
        };
        try (CheckpointWatcher watcher = new CheckpointWatcher(new CheckpointSource(Optional.empty(),
                Optional.of(rollout)), broken, active, Duration.ZERO, Clock.systemUTC(), new CheckpointWatcher.Listener() {
                    @Override
                    public void loaded(String version, Duration took) {
                    }

                    @Override
                    public void failed(String reference, Duration took) {
                        loads.add("failed " + reference);
                    }
                })) {
            watcher.start(Duration.ofMillis(20));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (loads.size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(loads.size() >= 3, "retried on later ticks: " + loads);
            assertFalse(watcher.status().serving());
            assertTrue(watcher.status().lastLoadError().contains("Could not initialize class ai.djl.engine.Engine"),
                    watcher.status().lastLoadError());
        }
    }

    @Test
    void anUnknownVersionIsAnErrorNamingWhereItWasLookedFor() throws Exception {
        TestCheckpoints.writeRollout(rollout, "9");
        ModelStatus status = watcher(Optional.empty()).check();
        assertFalse(status.serving());
        assertTrue(status.summary().startsWith("no model: checkpoint 9 could not be loaded"), status.summary());
        assertTrue(status.lastLoadError().contains("not a model version"), status.lastLoadError());
    }
}
