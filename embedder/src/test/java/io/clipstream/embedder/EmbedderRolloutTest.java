package io.clipstream.embedder;

import static io.clipstream.http.TestTokens.asOperator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.KafkaBrokerTestResource;
import io.clipstream.model.image.TestImages;
import io.clipstream.schemas.ImageEmbedding;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Rolling checkpoints by rewriting the watched file, while images flow. */
@QuarkusTest
@TestProfile(EmbedderProfiles.Rollout.class)
@QuarkusTestResource(KafkaBrokerTestResource.class)
class EmbedderRolloutTest {

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final Path rolloutFile = ConfigProvider.getConfig().getValue("clipstream.model.checkpoint-file", Path.class);

    private String id(String name) {
        return run + "-" + name;
    }

    /** Polls GET /model until {@code done} holds; the deadline only stops a test that would hang. */
    private static Map<String, Object> awaitModel(Predicate<Map<String, Object>> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Map<String, Object> status = Map.of();
        while (System.nanoTime() < deadline) {
            status = asOperator().get("/model").then().statusCode(200).extract().jsonPath().getMap("");
            if (done.test(status)) {
                return status;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("model status never got there: " + status);
    }

    private void serve(String version) throws Exception {
        TestCheckpoints.writeRollout(rolloutFile, version);
        awaitModel(s -> version.equals(s.get("activeVersion")) && version.equals(s.get("requestedCheckpoint")));
    }

    private static float[] vector(ImageEmbedding embedding) {
        float[] v = new float[embedding.getVector().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = embedding.getVector().get(i);
        }
        return v;
    }

    private static float[] httpVector(byte[] image, String expectedVersion) {
        List<Float> values = asOperator().contentType("image/png").body(image).post("/embed/images").then().statusCode(200)
                .body("modelVersion", is(expectedVersion)).extract().jsonPath()
                .getList("embeddings[0].vector", Float.class);
        float[] v = new float[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        return v;
    }

    @Test
    void aCorruptCheckpointIsRefusedTheOldOneKeepsServingAndHealthSaysWhy() throws Exception {
        serve("1");
        TestCheckpoints.writeRollout(rolloutFile, "3");
        Map<String, Object> status = awaitModel(s -> s.get("lastLoadError") != null);
        assertEquals("1", status.get("activeVersion"));
        assertEquals("3", status.get("requestedCheckpoint"));
        assertTrue(status.get("lastLoadError").toString().contains("SHA-256 mismatch"), status.toString());

        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                .body("checks.find { it.name == 'Embedding model' }.data.activeVersion", is("1"))
                .body("checks.find { it.name == 'Embedding model' }.data.lastLoadError", containsString("SHA-256"));
        asOperator().post("/model/reload").then().statusCode(503).body("error", containsString("SHA-256 mismatch"))
                .body("status.activeVersion", is("1"));
        String metrics = given().get("/q/metrics").then().extract().asString();
        assertTrue(EmbedderStreamTest.counter(metrics, "clipstream_embedder_model_loads_total{outcome=\"failure\"}") >= 1);

        try (ImagesTopic images = new ImagesTopic()) {
            images.send(null, id("while-3-is-refused"), TestImages.png(100, 100, 1));
        }
        ImageEmbedding embedding = ImagesTopic.embeddings(r -> r.stream().anyMatch(x -> x.key().equals(id("while-3-is-refused"))))
                .stream().filter(r -> r.key().equals(id("while-3-is-refused"))).findFirst().orElseThrow().value();
        assertEquals("1", embedding.getModelVersion(), "the old model keeps serving");
        serve("1");
    }

    @Test
    void aSwitchMidStreamTagsEveryOutputWithTheVersionThatMadeItAndLosesNothing() throws Exception {
        serve("1");
        byte[] probe = TestImages.png(120, 90, 77);
        float[] probeBefore = httpVector(probe, "1");

        List<String> ids = new ArrayList<>();
        Map<String, RecordMetadata> sent = new HashMap<>();
        try (ImagesTopic images = new ImagesTopic()) {
            sent.put(id("probe-before"), images.send(null, id("probe-before"), probe));
            ids.add(id("probe-before"));
            for (int i = 0; i < 20; i++) {
                String id = id("before-" + i);
                sent.put(id, images.send(null, id, TestImages.png(64, 64, i)));
                ids.add(id);
            }
            // Switch while images keep coming: the swap falls between two batches somewhere in this stream.
            TestCheckpoints.writeRollout(rolloutFile, "2");
            for (int i = 0; i < 500 && !"2".equals(asOperator().get("/model").then().extract().path("activeVersion")); i++) {
                String id = id("during-" + i);
                sent.put(id, images.send(null, id, TestImages.png(64, 64, 100 + i)));
                ids.add(id);
                Thread.sleep(10);
            }
            for (int i = 0; i < 10; i++) {
                String id = id("after-" + i);
                sent.put(id, images.send(null, id, TestImages.png(64, 64, 1000 + i)));
                ids.add(id);
            }
            sent.put(id("probe-after"), images.send(null, id("probe-after"), probe));
            ids.add(id("probe-after"));
        }

        Set<String> wanted = Set.copyOf(ids);
        List<ConsumerRecord<String, ImageEmbedding>> read = ImagesTopic.embeddings(
                r -> r.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(wanted));
        Map<String, ImageEmbedding> byId = new HashMap<>();
        read.stream().filter(r -> wanted.contains(r.key())).forEach(r -> byId.put(r.key(), r.value()));
        assertEquals(wanted, byId.keySet(), "none lost");

        for (int i = 0; i < 10; i++) {
            assertEquals("2", byId.get(id("after-" + i)).getModelVersion(), "published after the switch");
        }
        // In each input partition, read in offset order: version 1 until the switch, then 2, never back.
        Map<Integer, TreeMap<Long, String>> versionsByPartition = new HashMap<>();
        sent.forEach((id, meta) -> versionsByPartition.computeIfAbsent(meta.partition(), p -> new TreeMap<>())
                .put(meta.offset(), byId.get(id).getModelVersion()));
        versionsByPartition.forEach((partition, versions) -> {
            List<String> sequence = new ArrayList<>(versions.values());
            int firstNew = sequence.indexOf("2");
            assertTrue(sequence.stream().allMatch(v -> v.equals("1") || v.equals("2")), sequence.toString());
            if (firstNew >= 0) {
                assertFalse(sequence.subList(firstNew, sequence.size()).contains("1"),
                        "partition " + partition + " went back to version 1: " + sequence);
            }
        });

        // The version tag is the truth: a vector tagged 1 is what version 1 makes of the image, likewise for 2.
        float[] probeAfter = httpVector(probe, "2");
        assertFalse(Objects.deepEquals(probeBefore, probeAfter), "checkpoints 1 and 2 have other weights");
        Map<String, float[]> byVersion = Map.of("1", probeBefore, "2", probeAfter);
        for (String name : List.of("probe-before", "probe-after")) {
            ImageEmbedding embedding = byId.get(id(name));
            assertArrayEquals(byVersion.get(embedding.getModelVersion()), vector(embedding), 1e-5f, name);
        }
        assertEquals("2", byId.get(id("probe-after")).getModelVersion());
    }
}
