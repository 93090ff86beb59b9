package io.clipstream.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.ClipSerdes;
import io.clipstream.trainer.checkpoint.TrainerState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 6: the checkpoint store fails under the packaged trainer while pairs flow and an embedder serves the
 * trainer's first version: first full (the trainer's writes past 1 MiB fail with EFBIG, mid-checkpoint), then
 * read-only (its folder cannot take a new version). Each time: the trainer trains on, reports the failures in its
 * status (and, from the bound on, as not live), retries, and stores the next checkpoint once the store is back;
 * nothing half-written is ever published or announced; every pair is trained exactly once; the embedder keeps serving
 * its version with nothing missing.
 */
@Tag("faults")
class TrainerStoreFailureTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(240);
    /** Smaller than a checkpoint's weights and optimiser state, larger than its tokenizer and pending pairs. */
    private static final long FULL_AT_BYTES = 1 << 20;
    private static final int UNHEALTHY_AFTER = 3;

    @Test
    void aFailingStoreIsReportedAndRetriedAndNothingHalfWrittenIsPublished() throws Exception {
        try (FaultStack stack = new FaultStack("checkpoint-store")) {
            stack.startBroker();
            Map<String, String> settings = Training.settings();
            settings.put("clipstream.trainer.checkpoint.retry.initial-backoff", "PT1S");
            settings.put("clipstream.trainer.checkpoint.retry.max-backoff", "PT2S");
            settings.put("clipstream.trainer.checkpoint.retry.unhealthy-after", Integer.toString(UNHEALTHY_AFTER));
            FaultStack.Instance trainer = stack.add("trainer", 0, settings);
            trainer.pipeOutput = true;
            trainer.start();
            trainer.awaitReady();
            Path store = stack.checkpointStore();

            int count = Scenario.IMAGES;
            List<String> pairIds = Scenario.ids("pair", count);
            List<String> trainable = Training.trainable(pairIds);
            // Pairs at a quarter of the rate: the stream lasts through both failures.
            try (StepLog steps = new StepLog(trainer.log()).start();
                    SteadyPublisher pairs = new SteadyPublisher(stack.bootstrap, Topics.PAIRS_NORMALIZED, "pair", count,
                            Scenario.RATE / 4, Training::pair).start()) {
                JsonNode first = TrainerKillTest.awaitStatus(trainer, s -> s.path("lastCheckpoint").isObject());
                String serving = first.path("lastCheckpoint").path("version").asText();
                FaultStack.Instance embedder = stack.add("embedder", 0, Map.of("clipstream.model.checkpoint", serving));
                embedder.start();
                embedder.awaitReady();

                Map<String, Integer> servedVersions = new ConcurrentHashMap<>();
                Map<String, Boolean> sawDown = new ConcurrentHashMap<>();
                AtomicBoolean watching = new AtomicBoolean(true);
                Thread health = Thread.ofPlatform().daemon().name("health-watch").start(() -> {
                    while (watching.get()) {
                        if (!embedder.readyNow()) {
                            sawDown.put("embedder ready", true);
                        }
                        if (!trainer.readyNow()) {
                            sawDown.put("trainer ready", true);
                        }
                        JsonNode live = trainer.json("/q/health/live");
                        if (live == null) {
                            sawDown.put("trainer live", true);
                        }
                        try {
                            Thread.sleep(250);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                List<String> imageIds = Scenario.ids("image", count);
                try (OutputLog embeddings = new OutputLog(stack.bootstrap, List.of(Topics.EMBEDDINGS, Topics.IMAGES_REJECTED),
                        record -> {
                            if (record.topic().equals(Topics.EMBEDDINGS)) {
                                servedVersions.merge(ClipSerdes.imageEmbedding().decode(record.value()).getModelVersion(), 1,
                                        Integer::sum);
                            }
                            return record.key();
                        }).start();
                        SteadyPublisher images = new SteadyPublisher(stack.bootstrap, Topics.IMAGES, "image", count,
                                Scenario.RATE / 4, Scenario::uniqueImage).start()) {
                    // Full: every checkpoint write past 1 MiB fails.
                    Phase full = Phase.run("full", trainer, store, () -> trainer.limitFileSize(FULL_AT_BYTES),
                            () -> trainer.limitFileSize(null), UNHEALTHY_AFTER);
                    boolean liveDownWhileFull = sawDown.containsKey("trainer live");
                    // Read-only: the store's folder takes no new version (root ignores permissions: immutable then).
                    Phase readOnly = Phase.run("read-only", trainer, store, () -> readOnly(store, true),
                            () -> readOnly(store, false), 1);

                    pairs.awaitDone();
                    images.awaitDone();
                    long deadline = System.nanoTime() + TIMEOUT.toNanos();
                    while (!new HashSet<>(steps.trained(s -> true)).containsAll(trainable) && System.nanoTime() < deadline) {
                        Thread.sleep(250);
                    }
                    embeddings.awaitKeys(imageIds.size(), Duration.ofSeconds(60));
                    watching.set(false);
                    health.join();
                    JsonNode last = trainer.json("/trainer/status");
                    trainer.stop();

                    Accounting trained = Accounting.of("checkpoint-store(pairs trained)", trainable, count,
                            steps.arrivals(s -> true), pairs);
                    Accounting served = Accounting.of("checkpoint-store(embeddings)", imageIds, count, embeddings, images);
                    System.out.println(full.line());
                    System.out.println(readOnly.line());
                    System.out.println(trained.line());
                    System.out.println(served.line() + " model_versions=" + servedVersions);
                    List<String> versions = Training.storedVersions(store);
                    List<Checkpoint> announced = Training.announcements(stack.bootstrap);
                    Set<String> announcedVersions = new HashSet<>();
                    announced.forEach(c -> announcedVersions.add(c.getVersion()));
                    System.out.printf(Locale.ROOT, "faults: checkpoint-store stored=%s announced=%s staging_left=%d"
                            + " went_down=%s trainer_live_down_while_full=%s failures_total=%d%n", versions,
                            announcedVersions, Training.staging(store).size(), sawDown.keySet(), liveDownWhileFull,
                            last == null ? -1 : last.path("checkpointFailures").path("total").asLong());

                    assertTrue(full.failures() >= UNHEALTHY_AFTER && full.error().contains("File too large"), full.line());
                    assertTrue(readOnly.failures() >= 1, readOnly.line());
                    assertTrue(full.stepsWhileFailing() > 0 && readOnly.stepsWhileFailing() >= 0, full.line());
                    assertTrue(full.recoveredTo() != null && readOnly.recoveredTo() != null, "stored again after each");
                    assertTrue(liveDownWhileFull, "not live after " + UNHEALTHY_AFTER + " failures in a row");
                    assertTrue(trained.missing().isEmpty(), trained.line() + " missing: " + trained.missingSample());
                    assertEquals(0, trained.duplicates(), trained.line());
                    assertEquals(trainable.size(), Training.latest(store).orElseThrow().getValue().samplesSeen(),
                            "the last checkpoint counts every pair once");
                    for (String version : versions) {
                        Checkpoints.verify(store.resolve(version));
                        assertNotNull(TrainerState.read(store.resolve(version).resolve(TrainerState.FILE_NAME)));
                    }
                    assertEquals(Set.copyOf(versions), announcedVersions, "announced exactly the versions stored");
                    assertEquals(List.of(), Training.staging(store), "failed attempts leave nothing in staging");
                    assertTrue(served.missing().isEmpty(), served.line() + " missing: " + served.missingSample());
                    assertEquals(Set.of(serving), servedVersions.keySet(), "the embedder kept serving version " + serving);
                    assertTrue(!sawDown.containsKey("embedder ready"), "the embedder stayed ready");
                }
            }
        }
    }

    /** Makes the store's folder read-only (immutable for root, whom permissions do not stop), or writable again. */
    private static void readOnly(Path store, boolean on) throws IOException, InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> command = root ? List.of("chattr", on ? "+i" : "-i", store.toString())
                : List.of("chmod", on ? "a-w" : "u+w", store.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(command + " failed: " + output);
        }
    }

    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /** One failure of the store: how many checkpoints failed, with what, the steps trained meanwhile, the recovery. */
    record Phase(String name, int failures, String error, long stepsWhileFailing, String recoveredTo,
            double failingSeconds, double recoverySeconds) {

        /** Breaks the store until {@code failures} checkpoints failed in a row, repairs it, waits for a stored one. */
        static Phase run(String name, FaultStack.Instance trainer, Path store, Action breakIt, Action repair,
                int failures) throws Exception {
            JsonNode before = TrainerKillTest.awaitStatus(trainer, s -> s.path("lastCheckpoint").isObject()
                    && s.path("checkpointFailures").path("consecutive").asInt() == 0);
            String lastVersion = before.path("lastCheckpoint").path("version").asText();
            long stepBefore = before.path("step").asLong();
            long start = System.nanoTime();
            breakIt.run();
            JsonNode failing;
            try {
                failing = TrainerKillTest.awaitStatus(trainer,
                        s -> s.path("checkpointFailures").path("consecutive").asInt() >= failures);
            } finally {
                repair.run();
            }
            long repaired = System.nanoTime();
            JsonNode recovered = TrainerKillTest.awaitStatus(trainer,
                    s -> s.path("checkpointFailures").path("consecutive").asInt() == 0
                            && !s.path("lastCheckpoint").path("version").asText().equals(lastVersion));
            return new Phase(name, failing.path("checkpointFailures").path("consecutive").asInt(),
                    failing.path("checkpointFailures").path("lastError").asText(),
                    failing.path("step").asLong() - stepBefore, recovered.path("lastCheckpoint").path("version").asText(),
                    (repaired - start) / 1e9, (System.nanoTime() - repaired) / 1e9);
        }

        String line() {
            return String.format(Locale.ROOT, "faults: checkpoint-store(%s) failures_in_a_row=%d steps_while_failing=%d"
                    + " failing_s=%.1f stored_again=%s after_s=%.1f error=\"%s\"", name, failures, stepsWhileFailing,
                    failingSeconds, recoveredTo, recoverySeconds, error);
        }
    }
}
