package io.clipstream.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.clipstream.model.checkpoint.Checkpoints;
import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.Topics;
import io.clipstream.trainer.checkpoint.TrainerState;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 4: the packaged trainer SIGKILLed between two checkpoints while pairs flow, and restarted. It resumes from
 * its last stored checkpoint's offsets and state: counted from the steps its log names, every pair it does not hold
 * out is trained exactly once relative to that checkpoint (what the first run trained after it is trained again,
 * and reported as such), the step count continues, and no version is announced with two different contents.
 */
@Tag("faults")
class TrainerKillTest {

    private static final Duration TRAIN_TIMEOUT = Duration.ofSeconds(240);

    @Test
    void resumesFromItsLastCheckpointAndTrainsEveryPairOnceRelativeToIt() throws Exception {
        try (FaultStack stack = new FaultStack("trainer-kill")) {
            stack.startBroker();
            FaultStack.Instance trainer = stack.add("trainer", 0, Training.settings());
            trainer.start();
            trainer.awaitReady();

            int count = Scenario.IMAGES;
            List<String> ids = Scenario.ids("pair", count);
            List<String> expected = Training.trainable(ids);
            try (StepLog steps = new StepLog(trainer.log()).start();
                    SteadyPublisher pairs = new SteadyPublisher(stack.bootstrap, Topics.PAIRS_NORMALIZED, "pair", count,
                            Scenario.RATE, Training::pair).start()) {
                // Killed once a checkpoint is stored and at least two steps were trained after it.
                JsonNode before = awaitStatus(trainer, status -> !status.path("lastCheckpoint").isNull()
                        && status.path("lastCheckpoint").isObject()
                        && status.path("step").asLong() >= status.path("lastCheckpoint").path("step").asLong() + 2);
                trainer.kill();
                steps.nextRun();
                Map.Entry<String, TrainerState> resumeFrom = Training.latest(stack.checkpointStore()).orElseThrow();
                long checkpointStep = resumeFrom.getValue().step();
                long killedAt = steps.steps().stream().mapToLong(StepLog.Step::step).max().orElse(0);
                int publishedAtKill = pairs.published();
                List<String> retrained = steps.trained(s -> s.run() == 1 && s.step() > checkpointStep);
                System.out.printf(Locale.ROOT, "faults: trainer-kill killed at step %d (status said %d), %d of %d pairs"
                        + " published; resumes from version %s at step %d; %d pairs trained after it are trained again%n",
                        killedAt, before.path("step").asLong(), publishedAtKill, count, resumeFrom.getKey(),
                        checkpointStep, retrained.size());
                Thread.sleep(Scenario.DEAD_MILLIS);
                trainer.start();
                pairs.awaitDone();

                // Until every trainable pair has been trained (the last ones once the stream is idle), then a graceful
                // stop, which stores a last checkpoint.
                long deadline = System.nanoTime() + TRAIN_TIMEOUT.toNanos();
                while (!new HashSet<>(steps.trained(s -> s.run() == 2 || s.step() <= checkpointStep)).containsAll(expected)
                        && System.nanoTime() < deadline) {
                    if (!trainer.process.isAlive()) {
                        throw new IllegalStateException("the trainer exited: see " + trainer.log());
                    }
                    Thread.sleep(250);
                }
                JsonNode last = trainer.json("/trainer/status");
                trainer.stop();

                Accounting result = Accounting.of("trainer-kill", expected, count,
                        steps.arrivals(s -> s.run() == 2 || s.step() <= checkpointStep), pairs);
                System.out.println(result.line() + " retrained=" + retrained.size());
                List<StepLog.Step> second = steps.steps().stream().filter(s -> s.run() == 2).toList();
                assertTrue(result.missing().isEmpty(), result.line() + " skipped: " + result.missingSample());
                assertEquals(0, result.duplicates(), result.line() + ": trained twice relative to the checkpoint");
                assertEquals(checkpointStep + 1, second.getFirst().step(), "the step count continues from the checkpoint");
                assertNotNull(last, "status before the stop");

                // What was stored and announced: every version once, complete, announced as stored.
                List<String> versions = Training.storedVersions(stack.checkpointStore());
                Map.Entry<String, TrainerState> finalState = Training.latest(stack.checkpointStore()).orElseThrow();
                assertEquals(expected.size(), finalState.getValue().samplesSeen(),
                        "the shutdown checkpoint counts every pair once");
                List<Checkpoint> announced = Training.announcements(stack.bootstrap);
                Map<String, Checkpoint> byVersion = new LinkedHashMap<>();
                int repeats = 0;
                for (Checkpoint record : announced) {
                    Checkpoint earlier = byVersion.putIfAbsent(record.getVersion(), record);
                    if (earlier != null) {
                        repeats++;
                        assertEquals(List.of(earlier.getStep(), earlier.getSamplesSeen(), earlier.getSha256(),
                                        earlier.getSourceOffsets()),
                                List.of(record.getStep(), record.getSamplesSeen(), record.getSha256(), record.getSourceOffsets()),
                                "version " + record.getVersion() + " announced twice with different contents");
                    }
                }
                long previousStep = -1;
                for (String version : versions) {
                    Checkpoints.verify(stack.checkpointStore().resolve(version));
                    Checkpoint record = byVersion.get(version);
                    assertNotNull(record, "version " + version + " is stored but was never announced");
                    assertTrue(record.getStep() > previousStep, "version " + version + " repeats an earlier step");
                    previousStep = record.getStep();
                }
                assertEquals(Set.copyOf(versions), byVersion.keySet(), "announced versions are stored ones");
                System.out.printf(Locale.ROOT, "faults: trainer-kill checkpoints: %d stored, %d announcements, %d"
                        + " repeated (the resume version, re-announced at start with the same contents), staging left %d%n",
                        versions.size(), announced.size(), repeats, Training.staging(stack.checkpointStore()).size());
            }
        }
    }

    static JsonNode awaitStatus(FaultStack.Instance trainer, java.util.function.Predicate<JsonNode> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TRAIN_TIMEOUT.toNanos();
        JsonNode status = null;
        while (System.nanoTime() < deadline) {
            if (!trainer.process.isAlive()) {
                throw new IllegalStateException("the trainer exited: see " + trainer.log());
            }
            status = trainer.json("/trainer/status");
            if (status != null && status.path("state").asText().equals("FAILED")) {
                throw new IllegalStateException("the trainer failed: " + status.path("failure").asText());
            }
            if (status != null && condition.test(status)) {
                return status;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the trainer did not get there within " + TRAIN_TIMEOUT + ": " + status);
    }
}
