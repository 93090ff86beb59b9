package io.clipstream.embedder;

import static io.clipstream.http.TestTokens.asOperator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.KafkaBrokerTestResource;
import io.clipstream.model.image.TestImages;
import io.clipstream.schemas.AttributeLimits;
import io.clipstream.schemas.ImageEmbedding;
import io.clipstream.schemas.ImageEvent;
import io.clipstream.schemas.PoisonRecords;
import io.clipstream.schemas.RejectReason;
import io.clipstream.schemas.Rejected;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/** The embedder as deployed, serving checkpoint "1": the real broker, the real stream, the HTTP API. */
@QuarkusTest
@TestProfile(EmbedderProfiles.ServingVersion1.class)
@QuarkusTestResource(KafkaBrokerTestResource.class)
class EmbedderStreamTest {

    /** The tiny preset's embedding size. */
    private static final int DIMENSIONS = 64;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private String id(String name) {
        return run + "-" + name;
    }

    private static byte[] event(String imageId, byte[] image, Instant eventTime, Map<String, String> attributes) {
        return AvroSerde.of(ImageEvent.class).encode(ImageEvent.newBuilder().setImageId(imageId)
                .setImage(ByteBuffer.wrap(image)).setEventTime(eventTime).setAttributes(attributes).build());
    }

    private static float[] vector(ImageEmbedding embedding) {
        float[] v = new float[embedding.getVector().size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = embedding.getVector().get(i);
        }
        return v;
    }

    private static Map<String, ImageEmbedding> embeddingsOf(Set<String> ids) {
        List<ConsumerRecord<String, ImageEmbedding>> read = ImagesTopic.embeddings(
                r -> r.stream().map(ConsumerRecord::key).collect(Collectors.toSet()).containsAll(ids));
        Map<String, ImageEmbedding> byId = new HashMap<>();
        read.stream().filter(r -> ids.contains(r.key())).forEach(r -> byId.put(r.key(), r.value()));
        assertEquals(ids, byId.keySet(), "every image embedded");
        return byId;
    }

    @Test
    void imagesInEmbeddingsOutWithIdVersionEventTimeAndAttributes() {
        byte[] jpeg = TestImages.jpeg(320, 240, 1);
        byte[] twice = TestImages.png(300, 200, 3);
        Instant eventTime = Instant.parse("2026-03-01T12:00:00Z");
        RecordMetadata jpegRecord;
        try (ImagesTopic images = new ImagesTopic()) {
            jpegRecord = images.send(null, id("jpeg"), jpeg, "content-type", "image/jpeg", "attr.camera", "7");
            images.send(null, id("png-16bit"), TestImages.png16(200, 120));
            images.send(null, null, event(id("event"), TestImages.png(128, 96, 2), eventTime, Map.of("source", "avro")));
            images.send(0, id("twice-a"), twice);
            images.send(3, id("twice-b"), twice);
        }

        Map<String, ImageEmbedding> out = embeddingsOf(
                Set.of(id("jpeg"), id("png-16bit"), id("event"), id("twice-a"), id("twice-b")));
        for (ImageEmbedding embedding : out.values()) {
            assertEquals("1", embedding.getModelVersion(), embedding.getImageId());
            float[] v = vector(embedding);
            assertEquals(DIMENSIONS, v.length);
            double norm = 0;
            for (float x : v) {
                norm += x * x;
            }
            assertEquals(1.0, Math.sqrt(norm), 1e-4, "L2-normalised");
            assertFalse(embedding.getEmbeddedTime().isBefore(embedding.getEventTime()));
        }
        ImageEmbedding fromJpeg = out.get(id("jpeg"));
        assertEquals(Map.of("camera", "7"), fromJpeg.getAttributes());
        assertEquals(Instant.ofEpochMilli(jpegRecord.timestamp()), fromJpeg.getEventTime(), "the record timestamp");
        assertEquals(eventTime, out.get(id("event")).getEventTime(), "the ImageEvent's own time");
        assertEquals(Map.of("source", "avro"), out.get(id("event")).getAttributes());
        // Batches of other sizes may round the last bits differently; the vectors are the same.
        assertArrayEquals(vector(out.get(id("twice-a"))), vector(out.get(id("twice-b"))), 1e-5f, "same image, same vector");
        assertFalse(Arrays.equals(vector(fromJpeg), vector(out.get(id("twice-a")))), "other images, other vectors");

        // The HTTP path embeds the same bytes to the same vector.
        List<Float> http = asOperator().contentType("image/jpeg").body(jpeg).post("/embed/images").then().statusCode(200)
                .body("modelVersion", is("1")).body("dimensions", is(DIMENSIONS))
                .extract().jsonPath().getList("embeddings[0].vector", Float.class);
        float[] httpVector = new float[http.size()];
        for (int i = 0; i < httpVector.length; i++) {
            httpVector[i] = http.get(i);
        }
        assertArrayEquals(vector(fromJpeg), httpVector, 1e-5f);

        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                .body("checks.find { it.name == 'Embedding model' }.data.activeVersion", is("1"))
                .body("checks.find { it.name == 'Embedding model' }.data.precision", is("fp32"))
                .body("checks.name", hasItem("Kafka connection health check"));
        given().get("/q/health/live").then().statusCode(200)
                .body("checks.find { it.name == 'Image stream' }.data.state", is("CONSUMING"));
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("clipstream_embedder_model_active{version=\"1\"} 1.0"), "active version gauge");
        assertTrue(counter(metrics, "clipstream_embedder_images_embedded_total{source=\"stream\"}") >= 5, "embedded");
        assertTrue(counter(metrics, "clipstream_embedder_batch_size_count") >= 1, "batch sizes recorded");
        assertTrue(metrics.contains("clipstream_embedder_queue_wait_seconds_count"), "queue wait");
        assertTrue(metrics.contains("clipstream_embedder_embed_seconds_count{source=\"stream\"}"), "embed time");
        assertTrue(metrics.contains("clipstream_embedder_decode_threads 3.0"), "decode threads (the profile's)");
        assertTrue(metrics.contains("clipstream_embedder_model_precision{precision=\"fp32\"} 1.0"), "precision gauge");
    }

    /** One bad or good record, in publication order on one partition. */
    private record Case(String name, String key, byte[] value, RejectReason reason) {
    }

    @Test
    void badRecordsAreRejectedWithTheirReasonWhileGoodOnesBehindThemFlow() {
        byte[] avro = event(id("x"), TestImages.png(64, 64, 9), Instant.now(), Map.of());
        byte[] foreignSchema = avro.clone();
        foreignSchema[5] ^= 0x5A;
        List<Case> cases = List.of(
                new Case("truncated-jpeg", id("truncated-jpeg"), TestImages.truncated(TestImages.jpeg(200, 150, 1), 0.5),
                        RejectReason.CORRUPT_IMAGE),
                new Case("good-1", id("good-1"), TestImages.jpeg(64, 48, 4), null),
                new Case("html", id("html"), TestImages.text("<html>not an image</html>"), RejectReason.NOT_AN_IMAGE),
                new Case("bomb", id("bomb"), TestImages.pngClaiming(60_000, 60_000), RejectReason.IMAGE_TOO_MANY_PIXELS),
                new Case("good-2", id("good-2"), TestImages.png(90, 90, 5), null),
                new Case("one-pixel", id("one-pixel"), TestImages.png(1, 1, 1), RejectReason.IMAGE_TOO_SMALL),
                new Case("too-many-bytes", id("too-many-bytes"), Arrays.copyOf(TestImages.png(64, 64, 1), 2_100_000),
                        RejectReason.IMAGE_TOO_MANY_BYTES),
                new Case("gif-no-frames", id("gif-no-frames"), TestImages.gifWithoutFrames(), RejectReason.CORRUPT_IMAGE),
                new Case("no-key", null, TestImages.png(64, 64, 6), RejectReason.INVALID_RECORD),
                new Case("tombstone", id("tombstone"), null, RejectReason.INVALID_RECORD),
                new Case("corrupt-avro", id("corrupt-avro"), Arrays.copyOf(avro, 14), RejectReason.UNDECODABLE_RECORD),
                new Case("unknown-schema", id("unknown-schema"), foreignSchema, RejectReason.UNKNOWN_SCHEMA),
                new Case("good-3", null, event(id("good-3"), TestImages.png(80, 60, 7), Instant.now(), Map.of()), null));

        Map<Long, Case> sentAt = new LinkedHashMap<>();
        try (ImagesTopic images = new ImagesTopic()) {
            for (Case c : cases) {
                RecordMetadata meta = images.send(1, c.key(), c.value(), "attr.case", c.name());
                sentAt.put(meta.offset(), c);
            }
        }
        Map<Long, Case> expectedRejections = new LinkedHashMap<>(sentAt);
        expectedRejections.values().removeIf(c -> c.reason() == null);

        List<ConsumerRecord<String, Rejected>> read = ImagesTopic.rejections(r -> r.stream()
                .filter(x -> x.value().getSourcePartition() == 1).map(x -> x.value().getSourceOffset())
                .collect(Collectors.toSet()).containsAll(expectedRejections.keySet()));
        Map<Long, Rejected> byOffset = new HashMap<>();
        for (ConsumerRecord<String, Rejected> r : read) {
            Rejected rejected = r.value();
            if (rejected.getSourcePartition() == 1 && expectedRejections.containsKey(rejected.getSourceOffset())) {
                assertNull(byOffset.put(rejected.getSourceOffset(), rejected), "rejected once");
            }
        }
        assertEquals(expectedRejections.keySet(), byOffset.keySet(), "every bad record rejected");
        expectedRejections.forEach((offset, c) -> {
            Rejected rejected = byOffset.get(offset);
            assertEquals(c.reason(), rejected.getReason(), c.name() + ": " + rejected.getMessage());
            assertEquals(Topics.IMAGES, rejected.getSourceTopic());
            assertEquals("embedder", rejected.getService());
            assertFalse(rejected.getMessage().isBlank());
            assertEquals(Map.of("case", c.name()), rejected.getAttributes(), c.name());
            if (c.key() != null) {
                assertEquals(c.key(), rejected.getId(), c.name());
            }
            if (c.value() == null) {
                assertNull(rejected.getOriginalValue());
            } else {
                ByteBuffer original = rejected.getOriginalValue();
                byte[] bytes = new byte[original.remaining()];
                original.duplicate().get(bytes);
                assertArrayEquals(c.value(), bytes, c.name() + ": the original bytes, for replay");
            }
        });
        Rejected noKey = byOffset.values().stream().filter(r -> r.getAttributes().get("case").equals("no-key"))
                .findFirst().orElseThrow();
        assertTrue(noKey.getMessage().contains("needs the image id as its key"), noKey.getMessage());

        Map<String, ImageEmbedding> good = embeddingsOf(Set.of(id("good-1"), id("good-2"), id("good-3")));
        good.values().forEach(e -> assertEquals("1", e.getModelVersion()));

        String metrics = given().get("/q/metrics").then().extract().asString();
        assertTrue(counter(metrics, "clipstream_embedder_images_rejected_total{reason=\"CORRUPT_IMAGE\"}") >= 2, "by reason");
        assertTrue(counter(metrics, "clipstream_embedder_images_rejected_total{reason=\"INVALID_RECORD\"}") >= 2);
    }

    @Test
    void anImageEventThatDeclaresA2GiBImageIsRejectedAndTheNextImageStillEmbeds() {
        // Avro 1.12 allocated the declared 2 GiB before reading: OutOfMemoryError in the consumer loop, and the
        // uncommitted record read again after every restart.
        byte[] poison = PoisonRecords.claiming(ImageEvent.getClassSchema(), Schema.Type.BYTES).orElseThrow();
        long poisonOffset;
        try (ImagesTopic images = new ImagesTopic()) {
            poisonOffset = images.send(2, id("poison"), poison).offset();
            images.send(2, id("after-poison"), TestImages.png(70, 70, 8));
        }

        List<ConsumerRecord<String, Rejected>> read = ImagesTopic.rejections(r -> r.stream()
                .anyMatch(x -> x.value().getSourcePartition() == 2 && x.value().getSourceOffset() == poisonOffset));
        Rejected rejected = read.stream().map(ConsumerRecord::value)
                .filter(x -> x.getSourcePartition() == 2 && x.getSourceOffset() == poisonOffset).findFirst().orElseThrow();
        assertEquals(RejectReason.UNDECODABLE_RECORD, rejected.getReason());
        assertTrue(rejected.getMessage().contains("declares " + PoisonRecords.HUGE), rejected.getMessage());
        assertEquals(ByteBuffer.wrap(poison), rejected.getOriginalValue(), "the poison is kept for replay");

        assertEquals("1", embeddingsOf(Set.of(id("after-poison"))).get(id("after-poison")).getModelVersion());
        given().get("/q/health/live").then().statusCode(200)
                .body("checks.find { it.name == 'Image stream' }.data.state", is("CONSUMING"));
    }

    @Test
    void imagesWithAttributesOverTheCapsAreRejectedAndTheImageAfterThemEmbeds() {
        // Attributes ride along to the embedding: unbounded, the embedding could outgrow what the topic accepts.
        String[] headers = new String[2 * (AttributeLimits.DEFAULT.maxCount() + 1)];
        for (int i = 0; i < headers.length; i += 2) {
            headers[i] = "attr.h" + i;
            headers[i + 1] = "v";
        }
        byte[] longValue = event(id("long-value"), TestImages.png(64, 64, 12), Instant.now(),
                Map.of("note", "x".repeat(AttributeLimits.DEFAULT.maxValueBytes() + 1)));
        long manyOffset;
        long longOffset;
        try (ImagesTopic images = new ImagesTopic()) {
            manyOffset = images.send(4, id("many-headers"), TestImages.png(64, 64, 11), headers).offset();
            longOffset = images.send(4, id("long-value"), longValue).offset();
            images.send(4, id("after-attributes"), TestImages.png(72, 72, 13));
        }
        List<ConsumerRecord<String, Rejected>> read = ImagesTopic.rejections(r -> r.stream()
                .filter(x -> x.value().getSourcePartition() == 4).map(x -> x.value().getSourceOffset())
                .collect(Collectors.toSet()).containsAll(Set.of(manyOffset, longOffset)));
        Map<Long, Rejected> byOffset = new HashMap<>();
        read.stream().map(ConsumerRecord::value).filter(x -> x.getSourcePartition() == 4)
                .forEach(x -> byOffset.put(x.getSourceOffset(), x));
        Rejected many = byOffset.get(manyOffset);
        assertEquals(RejectReason.INVALID_RECORD, many.getReason());
        assertTrue(many.getMessage().contains("too many attributes: " + (headers.length / 2)), many.getMessage());
        assertEquals(Map.of(), many.getAttributes(), "over the caps: left out of the rejection");
        Rejected longOne = byOffset.get(longOffset);
        assertEquals(RejectReason.INVALID_RECORD, longOne.getReason());
        assertEquals(id("long-value"), longOne.getId());
        assertTrue(longOne.getMessage().contains("\"note\" has a value of "), longOne.getMessage());
        assertEquals(Map.of(), longOne.getAttributes());

        assertEquals("1", embeddingsOf(Set.of(id("after-attributes"))).get(id("after-attributes")).getModelVersion());
    }

    @Test
    void httpEmbedsImagesAndTextsAndSaysWhatIsWrong() {
        asOperator().multiPart("image", "red.png", TestImages.png(100, 80, 11), "image/png")
                .multiPart("image", "blue.jpg", TestImages.jpeg(120, 90, 12), "image/jpeg")
                .post("/embed/images").then().statusCode(200)
                .body("modelVersion", is("1")).body("dimensions", is(DIMENSIONS))
                .body("embeddings", hasSize(2)).body("embeddings[1].name", is("blue.jpg"))
                .body("embeddings[0].vector", hasSize(DIMENSIONS));
        asOperator().contentType(ContentType.JSON).body(List.of("a photo of a cat", "a diagram of a bridge"))
                .post("/embed/texts").then().statusCode(200)
                .body("modelVersion", is("1")).body("dimensions", is(DIMENSIONS))
                .body("embeddings", hasSize(2)).body("embeddings[0].text", is("a photo of a cat"))
                .body("embeddings[1].vector", hasSize(DIMENSIONS));

        asOperator().multiPart("file", "red.png", TestImages.png(100, 80, 11), "image/png").post("/embed/images")
                .then().statusCode(400).body("error", containsString("\"image\""));
        asOperator().multiPart("image", "broken.jpg", TestImages.truncated(TestImages.jpeg(200, 150, 1), 0.5), "image/jpeg")
                .post("/embed/images").then().statusCode(400)
                .body("error", containsString("broken.jpg: CORRUPT_IMAGE"));
        asOperator().contentType("image/png").body(new byte[0]).post("/embed/images").then().statusCode(400)
                .body("error", containsString("empty"));
        asOperator().contentType(ContentType.TEXT).body("not an image").post("/embed/images").then().statusCode(415)
                .body("error", containsString("Content-Type"));
        asOperator().contentType(ContentType.JSON).body("[]").post("/embed/texts").then().statusCode(400)
                .body("error", containsString("empty"));
        asOperator().contentType(ContentType.JSON).body("[\"a\", 7]").post("/embed/texts").then().statusCode(400)
                .body("error", containsString("item 2 is not a string"));
        asOperator().contentType(ContentType.JSON).body("{\"texts\": [\"a\"]}").post("/embed/texts").then().statusCode(400)
                .body("error", containsString("JSON list"));
        asOperator().contentType(ContentType.JSON).body("[\"a\"").post("/embed/texts").then().statusCode(400)
                .body("error", containsString("malformed JSON"));

        asOperator().get("/model").then().statusCode(200).body("activeVersion", is("1"))
                .body("requestedCheckpoint", is("1")).body("requestedBy", containsString("rollout.env"));
    }

    /** The value of one Prometheus sample line, 0 when absent. */
    static double counter(String metrics, String sample) {
        return metrics.lines().filter(line -> line.startsWith(sample + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(sample.length() + 1).trim())).orElse(0.0);
    }
}
