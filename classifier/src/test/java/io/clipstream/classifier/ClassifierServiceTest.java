package io.clipstream.classifier;

import static io.clipstream.http.TestTokens.asOperator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.broker.KafkaBrokerTestResource;
import io.clipstream.broker.KafkaTestClient;
import io.clipstream.http.TestTokens;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.serve.ServedModel;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.train.TinyClipTraining;
import io.clipstream.schemas.AttributeLimits;
import io.clipstream.schemas.CheckpointStatus;
import io.clipstream.schemas.Classification;
import io.clipstream.schemas.ImageEmbedding;
import io.clipstream.schemas.LabelSet;
import io.clipstream.schemas.PoisonRecords;
import io.clipstream.schemas.RejectReason;
import io.clipstream.schemas.Rejected;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The classifier as deployed: the real broker, the real topology, the HTTP API, a checkpoint trained on cats and
 * dogs in the artifact store.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(TrainedStoreTestResource.class)
class ClassifierServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(90);

    @ConfigProperty(name = "clipstream.model.store")
    String storeLocation;

    @TestHTTPResource("/classifications/stream")
    URL streamUrl;

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final ObjectMapper json = new ObjectMapper();
    private final AvroSerde<ImageEmbedding> embeddings = AvroSerde.of(ImageEmbedding.class);

    @Test
    void aLabelSetPutOverHttpClassifiesEmbeddingsAndSubscribersReceiveTheResults() throws Exception {
        String setId = "pets-" + run;
        asOperator().contentType(ContentType.JSON).body(Map.of("labels", List.of("cat", "dog"), "topK", 2))
                .put("/label-sets/" + setId).then().statusCode(201).body("revision", is(1));
        asOperator().get("/label-sets/" + setId).then().statusCode(200).body("revision", is(1))
                .body("templates", is(List.of("a photo of a {}.")));
        asOperator().contentType(ContentType.JSON).body(Map.of("labels", List.of("cat", "dog"), "topK", 1))
                .put("/label-sets/" + setId).then().statusCode(200).body("revision", is(2));
        // A PUT's result is what the next GET reads.
        asOperator().get("/label-sets/" + setId).then().statusCode(200).body("revision", is(2)).body("topK", is(1));
        asOperator().get("/label-sets").then().statusCode(200).body("id", hasItem(setId));

        Sse everything = Sse.open(streamUrl + "?labelSet=" + setId);
        Sse confidentCats = Sse.open(streamUrl + "?labelSet=" + setId + "&label=cat&minScore=0.5");
        awaitSubscribers(2);

        // dog and the last cat share a partition (same key hash in embeddings and classifications): the last cat
        // arrives after the dog, so once a subscriber has it, it has had its chance to see the dog.
        String cat = id("cat");
        String dog = id("dog");
        String lastCat = samePartitionAs(dog, "last-cat");
        Random random = new Random(99);
        try (ServedModel trained = trainedModel(); NDManager scope = Engines.newManager();
                KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.send(Topics.EMBEDDINGS, cat, embedding(cat, trained, scope, TinyClipTraining.picture("cat", random)));
            kafka.send(Topics.EMBEDDINGS, dog, embedding(dog, trained, scope, TinyClipTraining.picture("dog", random)));
            kafka.send(Topics.EMBEDDINGS, lastCat, embedding(lastCat, trained, scope,
                    TinyClipTraining.picture("cat", random)));

            List<ConsumerRecord<String, Classification>> out = kafka.readUntil(Topics.CLASSIFICATIONS,
                    AvroSerde.of(Classification.class), read -> ofRun(read).size() >= 3, WAIT);
            Map<String, Classification> byImage = ofRun(out);
            assertEquals(3, byImage.size(), byImage.toString());
            assertEquals("cat", top(byImage.get(cat)));
            assertEquals("dog", top(byImage.get(dog)));
            assertEquals("cat", top(byImage.get(lastCat)));
            Classification c = byImage.get(cat);
            assertEquals(setId, c.getLabelSetId());
            assertEquals(2L, c.getLabelSetRevision());
            assertEquals(TinyClipTraining.VERSION, c.getModelVersion());
            assertEquals(1, c.getLabels().size(), "topK of revision 2");
            assertEquals(Map.of("camera", "7"), c.getAttributes());
        }

        List<JsonNode> all = everything.take(3);
        assertEquals(java.util.Set.of(cat, dog, lastCat), java.util.Set.copyOf(all.stream().map(n -> n.get("imageId").asText()).toList()));
        JsonNode catEvent = all.stream().filter(n -> n.get("imageId").asText().equals(cat)).findFirst().orElseThrow();
        assertEquals("cat", catEvent.get("labels").get(0).get("label").asText());
        assertTrue(catEvent.get("labels").get(0).get("probability").asDouble() > 0.5);
        assertEquals(TinyClipTraining.VERSION, catEvent.get("modelVersion").asText());
        List<String> cats = confidentCats.take(2).stream().map(n -> n.get("imageId").asText()).toList();
        assertEquals(java.util.Set.of(cat, lastCat), java.util.Set.copyOf(cats), "the filter let no dog through");
        everything.close();
        confidentCats.close();

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(counter(metrics, "clipstream_classifier_classifications_total") >= 3, metrics);
        assertTrue(counter(metrics, "clipstream_classifier_label_embeddings_cache_total{result=\"miss\"}") >= 1);
        assertTrue(metrics.contains("clipstream_classifier_latency_seconds_bucket"), "latency histogram");
        assertTrue(metrics.contains("clipstream_classifier_model_precision{precision=\"fp32\"} 1.0"), "precision gauge");
        assertTrue(counter(metrics, "clipstream_classifier_top_label_total{label=\"cat\",label_set=\"" + setId + "\"}") >= 2);

        asOperator().delete("/label-sets/" + setId).then().statusCode(204);
        asOperator().get("/label-sets/" + setId).then().statusCode(404).body("error", containsString("no label set"));
        asOperator().delete("/label-sets/" + setId).then().statusCode(404);
    }

    @Test
    void invalidLabelSetsGet400WithAMessageAndNeverReachTheTopic() {
        Map<String, Object> badBodies = new HashMap<>();
        badBodies.put("no-labels", Map.of("labels", List.of()));
        badBodies.put("no-placeholder", Map.of("labels", List.of("cat"), "templates", List.of("a photo")));
        badBodies.put("duplicates", Map.of("labels", List.of("cat", "Cat")));
        badBodies.put("too-many", Map.of("labels", IntStream.range(0, 1001).mapToObj(i -> "label " + i).toList()));
        badBodies.put("top-k", Map.of("labels", List.of("cat"), "topK", 0));
        Map<String, String> messages = Map.of("no-labels", "at least one label", "no-placeholder", "has no {}",
                "duplicates", "duplicate labels", "too-many", "at most 1000 labels", "top-k", "topK must be between");
        badBodies.forEach((name, body) -> asOperator().contentType(ContentType.JSON).body(body).put("/label-sets/" + id(name))
                .then().statusCode(400).body("error", containsString(messages.get(name))));
        asOperator().contentType(ContentType.JSON).body("{\"labels\": [\"cat\"").put("/label-sets/" + id("malformed"))
                .then().statusCode(400).body("error", containsString("malformed label set JSON"));
        asOperator().contentType(ContentType.JSON).body("{\"labels\": [\"cat\"], \"topk\": 3}").put("/label-sets/" + id("typo"))
                .then().statusCode(400).body("error", containsString("topk"));
        asOperator().get("/classifications/stream?minScore=abc").then().statusCode(400)
                .body("error", containsString("minScore must be a number between 0 and 1"));

        // Something other than the API writes junk to the topic: it reads as no label set, and the GlobalKTable
        // keeps serving, so the next PUT is still seen at once (201, not 202).
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.send(Topics.LABEL_SETS, id("junk"), "not a label set".getBytes());
        }
        // A good set written after the bad ones: once the topic shows it, it would show the bad ones too.
        String marker = id("marker");
        asOperator().contentType(ContentType.JSON).body(Map.of("labels", List.of("x"))).put("/label-sets/" + marker)
                .then().statusCode(201);
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            List<String> keys = kafka.readBytesUntil(Topics.LABEL_SETS,
                    read -> read.stream().anyMatch(r -> r.key().equals(marker)), WAIT).stream()
                    .map(ConsumerRecord::key).filter(k -> k.startsWith(run)).toList();
            assertEquals(List.of(id("junk"), marker), keys);
        }
        asOperator().get("/label-sets/" + id("junk")).then().statusCode(404);
        asOperator().get("/label-sets").then().statusCode(200).body("id", hasItem(marker));
        asOperator().delete("/label-sets/" + marker).then().statusCode(204);
    }

    @Test
    void embeddingsOfAnUnknownModelVersionAndUndecodableOnesAreRejectedWithTheirReason() throws Exception {
        String setId = "rejections-" + run;
        asOperator().contentType(ContentType.JSON).body(Map.of("labels", List.of("cat", "dog")))
                .put("/label-sets/" + setId).then().statusCode(201);
        String unknown = id("unknown-version");
        String garbage = id("garbage");
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.send(Topics.EMBEDDINGS, unknown, embeddings.encode(ImageEmbedding.newBuilder().setImageId(unknown)
                    .setModelVersion("404").setVector(unit(64)).setEventTime(Instant.now())
                    .setEmbeddedTime(Instant.now()).build()));
            kafka.send(Topics.EMBEDDINGS, garbage, "not avro".getBytes());
            Map<String, Rejected> byId = new HashMap<>();
            kafka.readUntil(Topics.EMBEDDINGS_REJECTED, AvroSerde.of(Rejected.class), read -> {
                read.forEach(r -> byId.put(r.key(), r.value()));
                return byId.containsKey(unknown) && byId.containsKey(garbage);
            }, WAIT);
            assertEquals(RejectReason.MODEL_VERSION_UNAVAILABLE, byId.get(unknown).getReason());
            assertTrue(byId.get(unknown).getMessage().contains("404"), byId.get(unknown).getMessage());
            assertEquals(RejectReason.UNDECODABLE_RECORD, byId.get(garbage).getReason());
        }
        asOperator().delete("/label-sets/" + setId).then().statusCode(204);
    }

    @Test
    void embeddingsNamingAVersionThatNeitherPassedNorIsRolledOutAreRejectedThoughTheStoreHasIt() throws Exception {
        String setId = "untrusted-" + run;
        asOperator().contentType(ContentType.JSON).body(Map.of("labels", List.of("cat", "dog")))
                .put("/label-sets/" + setId).then().statusCode(201);
        ArtifactStore store = ArtifactStore.open(storeLocation);
        String rejectedVersion = "rejected-" + run;
        String unjudgedVersion = "unjudged-" + run;
        TinyCheckpoints.publishRandom(store, rejectedVersion, 7, CheckpointStatus.REJECTED);
        TinyCheckpoints.publishRandom(store, unjudgedVersion, 8, null);
        String ofRejected = id("of-rejected");
        String ofUnjudged = id("of-unjudged");
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            for (String[] image : List.of(new String[] {ofRejected, rejectedVersion},
                    new String[] {ofUnjudged, unjudgedVersion})) {
                kafka.send(Topics.EMBEDDINGS, image[0], embeddings.encode(ImageEmbedding.newBuilder()
                        .setImageId(image[0]).setModelVersion(image[1]).setVector(unit(64))
                        .setEventTime(Instant.now()).setEmbeddedTime(Instant.now()).build()));
            }
            Map<String, Rejected> byId = new HashMap<>();
            kafka.readUntil(Topics.EMBEDDINGS_REJECTED, AvroSerde.of(Rejected.class), read -> {
                read.forEach(r -> byId.put(r.key(), r.value()));
                return byId.containsKey(ofRejected) && byId.containsKey(ofUnjudged);
            }, WAIT);
            assertEquals(RejectReason.MODEL_VERSION_UNAVAILABLE, byId.get(ofRejected).getReason());
            assertTrue(byId.get(ofRejected).getMessage().contains("was REJECTED by the trainer's guardrail"),
                    byId.get(ofRejected).getMessage());
            assertEquals(RejectReason.MODEL_VERSION_UNAVAILABLE, byId.get(ofUnjudged).getReason());
            assertTrue(byId.get(ofUnjudged).getMessage().contains("has no verdict"), byId.get(ofUnjudged).getMessage());
        }
        asOperator().delete("/label-sets/" + setId).then().statusCode(204);
    }

    @Test
    void aPoisonEmbeddingIsRejectedAPoisonLabelSetIsAbsentAndBothStreamsGoOn() throws Exception {
        // Each declares about 2 GiB of items in a few bytes. Avro 1.12 allocated them before reading: OutOfMemoryError
        // on the stream thread (embeddings) and on the global thread (label-sets, a compacted topic that every
        // replica reads again on every start).
        String setId = "poison-" + run;
        asOperator().contentType(ContentType.JSON).body(Map.of("labels", List.of("cat", "dog")))
                .put("/label-sets/" + setId).then().statusCode(201);
        String poisonEmbedding = id("poison-embedding");
        String poisonSet = id("poison-set");
        String after = id("after-poison");
        byte[] poison = PoisonRecords.claiming(ImageEmbedding.getClassSchema(), Schema.Type.ARRAY).orElseThrow();
        try (ServedModel trained = trainedModel(); NDManager scope = Engines.newManager();
                KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.send(Topics.LABEL_SETS, poisonSet,
                    PoisonRecords.claiming(LabelSet.getClassSchema(), Schema.Type.ARRAY).orElseThrow());
            kafka.send(Topics.EMBEDDINGS, poisonEmbedding, poison);
            kafka.send(Topics.EMBEDDINGS, after, embedding(after, trained, scope, TinyClipTraining.picture("cat", new Random(5))));

            Map<String, Rejected> rejected = new HashMap<>();
            kafka.readUntil(Topics.EMBEDDINGS_REJECTED, AvroSerde.of(Rejected.class), read -> {
                read.forEach(r -> rejected.put(r.key(), r.value()));
                return rejected.containsKey(poisonEmbedding);
            }, WAIT);
            Rejected r = rejected.get(poisonEmbedding);
            assertEquals(RejectReason.UNDECODABLE_RECORD, r.getReason());
            assertTrue(r.getMessage().contains("declares " + PoisonRecords.HUGE), r.getMessage());
            assertEquals(java.nio.ByteBuffer.wrap(poison), r.getOriginalValue(), "the poison is kept for replay");

            List<ConsumerRecord<String, Classification>> out = kafka.readUntil(Topics.CLASSIFICATIONS,
                    AvroSerde.of(Classification.class), read -> read.stream()
                            .anyMatch(c -> c.key().equals(after) && c.value().getLabelSetId().equals(setId)), WAIT);
            assertTrue(out.stream().anyMatch(c -> c.key().equals(after) && c.value().getLabelSetId().equals(setId)),
                    "the embedding after the poison is classified under " + setId);
        }
        // The global table read the poison as no label set and goes on: the next PUT is seen at once (201).
        asOperator().get("/label-sets/" + poisonSet).then().statusCode(404);
        String marker = id("after-poison-set");
        asOperator().contentType(ContentType.JSON).body(Map.of("labels", List.of("x"))).put("/label-sets/" + marker)
                .then().statusCode(201);
        asOperator().get("/label-sets/" + marker).then().statusCode(200);
        asOperator().delete("/label-sets/" + marker).then().statusCode(204);
        asOperator().delete("/label-sets/" + setId).then().statusCode(204);
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void anEmbeddingWithAttributesOverTheCapsIsRejectedWithoutThem() {
        // Attributes ride along to every classification: unbounded, one could outgrow what the topic accepts.
        String setId = "attributes-" + run;
        asOperator().contentType(ContentType.JSON).body(Map.of("labels", List.of("cat", "dog")))
                .put("/label-sets/" + setId).then().statusCode(201);
        String overCap = id("attributes-over-cap");
        Map<String, String> bulky = new HashMap<>();
        // Each entry within the caps; together over the total.
        for (int i = 0; bulky.size() * 4000 <= AttributeLimits.DEFAULT.maxTotalBytes(); i++) {
            bulky.put("k" + i, "y".repeat(4000));
        }
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.send(Topics.EMBEDDINGS, overCap, embeddings.encode(ImageEmbedding.newBuilder().setImageId(overCap)
                    .setModelVersion(TinyClipTraining.VERSION).setVector(unit(64)).setEventTime(Instant.now())
                    .setEmbeddedTime(Instant.now()).setAttributes(bulky).build()));
            Map<String, Rejected> byId = new HashMap<>();
            kafka.readUntil(Topics.EMBEDDINGS_REJECTED, AvroSerde.of(Rejected.class), read -> {
                read.forEach(r -> byId.put(r.key(), r.value()));
                return byId.containsKey(overCap);
            }, WAIT);
            Rejected r = byId.get(overCap);
            assertEquals(RejectReason.INVALID_RECORD, r.getReason());
            assertTrue(r.getMessage().contains("bytes in all: at most " + AttributeLimits.DEFAULT.maxTotalBytes()),
                    r.getMessage());
            assertEquals(Map.of(), r.getAttributes(), "over the caps: left out of the rejection");
            assertEquals(TinyClipTraining.VERSION, r.getModelVersion());
        }
        asOperator().delete("/label-sets/" + setId).then().statusCode(204);
    }

    // --- helpers

    private String id(String name) {
        return run + "-" + name;
    }

    /** An id whose records go to the same partition as {@code other}'s (6 partitions, Kafka's default partitioner). */
    private String samePartitionAs(String other, String name) {
        int partitions = Topics.get(Topics.CLASSIFICATIONS).partitions();
        assertEquals(partitions, Topics.get(Topics.EMBEDDINGS).partitions());
        int wanted = partition(other, partitions);
        for (int i = 0; ; i++) {
            String candidate = id(name + "-" + i);
            if (partition(candidate, partitions) == wanted) {
                return candidate;
            }
        }
    }

    private static int partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % partitions;
    }

    private ServedModel trainedModel() throws Exception {
        return TinyCheckpoints.resolver(ArtifactStore.open(storeLocation)).loadVersion(TinyClipTraining.VERSION);
    }

    private byte[] embedding(String id, ServedModel model, NDManager scope, io.clipstream.model.image.RgbImage picture) {
        List<Float> vector = new ArrayList<>();
        for (float v : model.embedImages(scope, List.of(picture)).toFloatArray()) {
            vector.add(v);
        }
        Instant now = Instant.now();
        return embeddings.encode(ImageEmbedding.newBuilder().setImageId(id).setModelVersion(model.version())
                .setVector(vector).setEventTime(now.minusMillis(50)).setEmbeddedTime(now)
                .setAttributes(Map.of("camera", "7")).build());
    }

    private static List<Float> unit(int dimension) {
        List<Float> v = new ArrayList<>();
        for (int i = 0; i < dimension; i++) {
            v.add(i == 0 ? 1f : 0f);
        }
        return v;
    }

    private Map<String, Classification> ofRun(List<ConsumerRecord<String, Classification>> records) {
        Map<String, Classification> byImage = new HashMap<>();
        records.stream().filter(r -> r.key().startsWith(run)).forEach(r -> byImage.put(r.key(), r.value()));
        return byImage;
    }

    private static String top(Classification c) {
        return c.getLabels().get(0).getLabel();
    }

    private static double counter(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " ([0-9.Ee+-]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    /** Waits (bounded) until the service counts this many SSE subscribers: then nothing sent after is missed. */
    private static void awaitSubscribers(int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String metrics = given().get("/q/metrics").then().extract().asString();
            if (counter(metrics, "clipstream_classifier_subscribers") >= count) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the SSE subscriptions were not registered");
    }

    /** A server-sent-event stream read on a thread of its own; each {@code data:} line is one JSON object. */
    private static final class Sse implements AutoCloseable {
        private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
        private final CompletableFuture<HttpResponse<Stream<String>>> response;
        private final ObjectMapper json = new ObjectMapper();

        private Sse(String url) {
            HttpRequest request = HttpRequest.newBuilder(java.net.URI.create(url)).header("Accept", "text/event-stream")
                    .header("Authorization", "Bearer " + TestTokens.CLIENT).build();
            response = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines());
            response.thenAcceptAsync(r -> r.body().forEach(line -> {
                if (line.startsWith("data:")) {
                    try {
                        events.add(json.readTree(line.substring(5)));
                    } catch (Exception e) {
                        throw new IllegalStateException("not JSON: " + line, e);
                    }
                }
            }));
        }

        static Sse open(String url) {
            return new Sse(url);
        }

        List<JsonNode> take(int count) throws InterruptedException {
            List<JsonNode> taken = new ArrayList<>();
            while (taken.size() < count) {
                JsonNode next = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                if (next == null) {
                    throw new AssertionError("only " + taken.size() + " of " + count + " events arrived: " + taken);
                }
                taken.add(next);
            }
            return taken;
        }

        @Override
        public void close() {
            response.thenAccept(r -> r.body().close());
            response.cancel(true);
        }
    }
}
