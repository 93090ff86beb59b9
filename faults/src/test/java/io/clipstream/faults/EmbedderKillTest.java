package io.clipstream.faults;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.store.StoredCheckpoints;
import io.clipstream.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 1: two embedders in one group, one SIGKILLed mid-stream and restarted. At-least-once is the contract:
 * every image has at least one embedding (or a rejection); duplicates are counted and reported, not failed.
 */
@Tag("faults")
class EmbedderKillTest {

    @Test
    void everyImageIsEmbeddedAtLeastOnceThroughAKill() throws Exception {
        try (FaultStack stack = new FaultStack("embedder-kill")) {
            stack.startBroker();
            StoredCheckpoints.publishRandom(ArtifactStore.open(stack.checkpointStore().toUri().toString()), "1", "tiny");
            Map<String, String> serve = Map.of("clipstream.model.checkpoint", "1");
            FaultStack.Instance first = stack.add("embedder", 0, serve);
            FaultStack.Instance second = stack.add("embedder", 1, serve);
            first.start();
            second.start();
            first.awaitReady();
            second.awaitReady();

            List<String> ids = Scenario.ids("image", Scenario.IMAGES);
            try (OutputLog log = new OutputLog(stack.bootstrap, List.of(Topics.EMBEDDINGS, Topics.IMAGES_REJECTED),
                    record -> record.key()).start();
                    SteadyPublisher images = new SteadyPublisher(stack.bootstrap, Topics.IMAGES, "image",
                            Scenario.IMAGES, Scenario.RATE, Scenario::uniqueImage).start()) {
                images.awaitPublishedAtLeast(Scenario.IMAGES / 3);
                second.kill();
                Thread.sleep(Scenario.DEAD_MILLIS);
                second.start();
                images.awaitDone();
                log.awaitKeys(ids.size(), Duration.ofSeconds(60));

                Accounting result = Accounting.of("embedder-kill", ids, Scenario.IMAGES, log, images);
                System.out.println(result.line());
                assertTrue(result.missing().isEmpty(), result.line() + " missing: " + result.missingSample());
            }
        }
    }
}
