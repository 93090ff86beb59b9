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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Scenario 5: the broker stopped and restarted on the same log folders while ingest, the embedder and the classifier
 * run and pairs and images flow: every service reconnects by itself (readiness goes DOWN, then UP again) and the
 * accounting holds: pairs exactly once, images at least once, every image classified exactly once per label set (the
 * classifier's dedupe absorbs the embedder's duplicates: end-to-end exactly-once per image).
 */
@Tag("faults")
class BrokerRestartTest {

    @Test
    void everythingReconnectsAndNothingIsLost() throws Exception {
        try (FaultStack stack = new FaultStack("broker-restart")) {
            stack.startBroker();
            StoredCheckpoints.publishRandom(ArtifactStore.open(stack.checkpointStore().toUri().toString()), "1", "tiny");
            ClassifierKillTest.publishLabelSets(stack.bootstrap);
            Map<String, String> serve = Map.of("clipstream.model.checkpoint", "1");
            List<FaultStack.Instance> services = List.of(stack.add("ingest", 0, Map.of()),
                    stack.add("embedder", 0, serve), stack.add("classifier", 0, serve));
            for (FaultStack.Instance service : services) {
                service.start();
            }
            for (FaultStack.Instance service : services) {
                service.awaitReady();
            }

            Map<String, Boolean> sawDown = new ConcurrentHashMap<>();
            AtomicBoolean watching = new AtomicBoolean(true);
            Thread health = new Thread(() -> {
                while (watching.get()) {
                    for (FaultStack.Instance service : services) {
                        if (!service.readyNow()) {
                            sawDown.put(service.name, true);
                        }
                    }
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "health-watch");
            health.setDaemon(true);

            int count = Scenario.IMAGES;
            List<String> pairIds = Scenario.ids("pair", count);
            List<String> imageIds = Scenario.ids("image", count);
            List<String> classified = new ArrayList<>();
            for (String id : imageIds) {
                ClassifierKillTest.LABEL_SETS.forEach(set -> classified.add(id + "|" + set));
            }
            try (OutputLog pairsOut = new OutputLog(stack.bootstrap, List.of(Topics.PAIRS_NORMALIZED, Topics.PAIRS_REJECTED),
                    record -> record.key()).start();
                    OutputLog embeddingsOut = new OutputLog(stack.bootstrap, List.of(Topics.EMBEDDINGS, Topics.IMAGES_REJECTED),
                            record -> record.key()).start();
                    OutputLog classificationsOut = new OutputLog(stack.bootstrap,
                            List.of(Topics.CLASSIFICATIONS, Topics.EMBEDDINGS_REJECTED),
                            record -> record.topic().equals(Topics.CLASSIFICATIONS)
                                    ? ClassifierKillTest.classificationKey(record.value()) : record.key() + "|rejected").start();
                    SteadyPublisher pairs = new SteadyPublisher(stack.bootstrap, Topics.PAIRS_RAW, "pair", count,
                            Scenario.RATE / 2, IngestKillTest::pair).start();
                    SteadyPublisher images = new SteadyPublisher(stack.bootstrap, Topics.IMAGES, "image", count,
                            Scenario.RATE / 2, Scenario::uniqueImage).start()) {
                health.start();
                images.awaitPublishedAtLeast(count / 3);
                stack.stopBroker();
                Thread.sleep(Scenario.DEAD_MILLIS);
                stack.restartBroker();
                pairs.awaitDone();
                images.awaitDone();
                pairsOut.awaitKeys(pairIds.size(), Duration.ofSeconds(90));
                embeddingsOut.awaitKeys(imageIds.size(), Duration.ofSeconds(90));
                classificationsOut.awaitKeys(classified.size(), Duration.ofSeconds(90));
                watching.set(false);
                health.join();

                Accounting pairResult = Accounting.of("broker-restart(pairs)", pairIds, count, pairsOut, pairs);
                Accounting embedResult = Accounting.of("broker-restart(embeddings)", imageIds, count, embeddingsOut, images);
                Accounting classifyResult = Accounting.of("broker-restart(classifications)", classified, count,
                        classificationsOut, images);
                System.out.println(pairResult.line());
                System.out.println(embedResult.line());
                System.out.println(classifyResult.line());
                List<String> stayedUp = services.stream().map(s -> s.name).filter(name -> !sawDown.containsKey(name)).toList();
                List<String> notBack = services.stream().filter(s -> !s.readyNow()).map(s -> s.name).toList();
                double absorbed = services.get(2).metric("clipstream_classifier_embeddings_duplicates_total");
                System.out.println("faults: broker-restart classifier: duplicate embeddings absorbed by the dedupe="
                        + (long) absorbed);
                System.out.println("faults: broker-restart health: went down " + sawDown.keySet() + ", stayed up "
                        + stayedUp + ", not back up " + notBack);
                assertTrue(pairResult.missing().isEmpty(), pairResult.line() + " missing: " + pairResult.missingSample());
                assertEquals(0, pairResult.duplicates(), pairResult.line() + ": ingest is exactly-once");
                assertTrue(embedResult.missing().isEmpty(), embedResult.line() + " missing: " + embedResult.missingSample());
                assertTrue(classifyResult.missing().isEmpty(), classifyResult.line() + " missing: " + classifyResult.missingSample());
                assertEquals(0, classifyResult.duplicates(), classifyResult.line()
                        + ": a duplicate embedding of an image and model version gives no second classification");
                assertTrue(notBack.isEmpty(), "every service is ready again without a restart: " + notBack);
            }
        }
    }
}
