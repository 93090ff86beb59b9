package io.clipstream.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.store.StoredCheckpoints;
import io.clipstream.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 1: two embedders in one group, one SIGKILLed mid-stream and restarted. At-least-once is the contract:
 * every image has at least one embedding (or a rejection); duplicates are counted and reported, not failed. A
 * classifier downstream shows the end-to-end contract: every image classified exactly once per label set, the
 * embedder's duplicates absorbed by its dedupe.
 */
@Tag("faults")
class EmbedderKillTest {

    @Test
    void everyImageIsEmbeddedAtLeastOnceThroughAKill() throws Exception {
        try (FaultStack stack = new FaultStack("embedder-kill")) {
            stack.startBroker();
            StoredCheckpoints.publishRandom(ArtifactStore.open(stack.checkpointStore().toUri().toString()), "1", "tiny");
            ClassifierKillTest.publishLabelSets(stack.bootstrap);
            Map<String, String> serve = Map.of("clipstream.model.checkpoint", "1");
            FaultStack.Instance first = stack.add("embedder", 0, serve);
            FaultStack.Instance second = stack.add("embedder", 1, serve);
            FaultStack.Instance classifier = stack.add("classifier", 0, serve);
            first.start();
            second.start();
            classifier.start();
            first.awaitReady();
            second.awaitReady();
            classifier.awaitReady();

            List<String> ids = Scenario.ids("image", Scenario.IMAGES);
            List<String> classified = new ArrayList<>();
            for (String id : ids) {
                ClassifierKillTest.LABEL_SETS.forEach(set -> classified.add(id + "|" + set));
            }
            try (OutputLog log = new OutputLog(stack.bootstrap, List.of(Topics.EMBEDDINGS, Topics.IMAGES_REJECTED),
                    record -> record.key()).start();
                    OutputLog classifications = new OutputLog(stack.bootstrap,
                            List.of(Topics.CLASSIFICATIONS, Topics.EMBEDDINGS_REJECTED),
                            record -> record.topic().equals(Topics.CLASSIFICATIONS)
                                    ? ClassifierKillTest.classificationKey(record.value()) : record.key() + "|rejected").start();
                    SteadyPublisher images = new SteadyPublisher(stack.bootstrap, Topics.IMAGES, "image",
                            Scenario.IMAGES, Scenario.RATE, Scenario::uniqueImage).start()) {
                images.awaitPublishedAtLeast(Scenario.IMAGES / 3);
                java.util.Set<String> members = stack.memberIds("clipstream-embedder", second);
                second.kill();
                Thread.sleep(Scenario.DEAD_MILLIS);
                long restarted = System.nanoTime();
                second.start();
                FaultStack.Recovery recovery = stack.recovery("clipstream-embedder", second, members, restarted);
                images.awaitDone();
                log.awaitKeys(ids.size(), Duration.ofSeconds(60));
                classifications.awaitKeys(classified.size(), Duration.ofSeconds(60));

                Accounting result = Accounting.of("embedder-kill", ids, Scenario.IMAGES, log, images);
                Accounting endToEnd = Accounting.of("embedder-kill(classifications)", classified, Scenario.IMAGES,
                        classifications, images);
                System.out.println(result.line());
                System.out.println(recovery.line("embedder-kill"));
                System.out.println(endToEnd.line());
                System.out.println("faults: embedder-kill classifier: duplicate embeddings absorbed by the dedupe="
                        + (long) classifier.metric("clipstream_classifier_embeddings_duplicates_total"));
                assertTrue(result.missing().isEmpty(), result.line() + " missing: " + result.missingSample());
                assertTrue(endToEnd.missing().isEmpty(), endToEnd.line() + " missing: " + endToEnd.missingSample());
                assertEquals(0, endToEnd.duplicates(), endToEnd.line()
                        + ": a duplicate embedding of an image and model version gives no second classification");
            }
        }
    }
}
