package io.clipstream.ingest;

import static io.clipstream.http.TestTokens.asClient;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.KafkaBrokerTestResource;
import io.clipstream.broker.KafkaTestClient;
import io.clipstream.model.image.TestImages;
import io.clipstream.schemas.AttributeLimits;
import io.clipstream.schemas.ImageTextPair;
import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.PoisonRecords;
import io.clipstream.schemas.RejectReason;
import io.clipstream.schemas.Rejected;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

/** Ingest as deployed: the real broker, the real topology, the HTTP API. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class IngestServiceTest {

    private final AvroSerde<ImageTextPair> pairs = AvroSerde.of(ImageTextPair.class);

    @Inject
    KafkaStreams streams;
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private String id(String name) {
        return run + "-" + name;
    }

    private byte[] pair(String id, byte[] image, String caption) {
        return pairs.encode(ImageTextPair.newBuilder().setPairId(id).setImage(ByteBuffer.wrap(image))
                .setCaption(caption).setEventTime(Instant.now()).build());
    }

    @Test
    void itDecodesOnOneStreamThreadPerCoreByDefault() {
        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(cores, streams.metadataForLocalThreads().size(), "stream threads");
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("clipstream_ingest_decode_threads " + cores + ".0"), "decode threads gauge");
    }

    @Test
    void everyBadInputIsRejectedWithItsReasonGoodOnesAreNormalisedAndCountsBalance() {
        Map<String, byte[]> records = new LinkedHashMap<>();
        Map<String, RejectReason> expectedRejections = new LinkedHashMap<>();
        Map<String, String> expectedCaptions = new LinkedHashMap<>();

        // --- bad: each must land in pairs.rejected with this reason
        bad(records, expectedRejections, "zero-bytes", pair(id("zero-bytes"), new byte[0], "x"), RejectReason.NOT_AN_IMAGE);
        bad(records, expectedRejections, "truncated-jpeg",
                pair(id("truncated-jpeg"), TestImages.truncated(TestImages.jpeg(200, 150, 1), 0.5), "x"), RejectReason.CORRUPT_IMAGE);
        bad(records, expectedRejections, "truncated-png",
                pair(id("truncated-png"), TestImages.truncated(TestImages.png(200, 150, 1), 0.4), "x"), RejectReason.CORRUPT_IMAGE);
        bad(records, expectedRejections, "jpeg-soi-only",
                pair(id("jpeg-soi-only"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}, "x"), RejectReason.CORRUPT_IMAGE);
        bad(records, expectedRejections, "png-bomb",
                pair(id("png-bomb"), TestImages.pngClaiming(60_000, 60_000), "x"), RejectReason.IMAGE_TOO_MANY_PIXELS);
        bad(records, expectedRejections, "wrong-magic",
                pair(id("wrong-magic"), TestImages.text("<html>not an image</html>"), "x"), RejectReason.NOT_AN_IMAGE);
        bad(records, expectedRejections, "random-bytes", pair(id("random-bytes"), randomBytes(4096), "x"), RejectReason.NOT_AN_IMAGE);
        bad(records, expectedRejections, "gif-no-frames",
                pair(id("gif-no-frames"), TestImages.gifWithoutFrames(), "x"), RejectReason.CORRUPT_IMAGE);
        bad(records, expectedRejections, "one-pixel", pair(id("one-pixel"), TestImages.png(1, 1, 1), "x"), RejectReason.IMAGE_TOO_SMALL);
        bad(records, expectedRejections, "too-many-bytes",
                pair(id("too-many-bytes"), padded(TestImages.png(64, 64, 1), 2_100_000), "x"), RejectReason.IMAGE_TOO_MANY_BYTES);
        bad(records, expectedRejections, "invalid-utf8",
                invalidUtf8Caption(id("invalid-utf8")), RejectReason.INVALID_CAPTION_ENCODING);
        bad(records, expectedRejections, "caption-100kb",
                pair(id("caption-100kb"), TestImages.png(64, 64, 2), "word ".repeat(20_000)), RejectReason.CAPTION_TOO_LONG);
        bad(records, expectedRejections, "caption-whitespace",
                pair(id("caption-whitespace"), TestImages.png(64, 64, 3), " \t\n\u00A0 "), RejectReason.EMPTY_CAPTION);
        bad(records, expectedRejections, "caption-only-html",
                pair(id("caption-only-html"), TestImages.png(64, 64, 4), "<div><br/><img src=x></div>"), RejectReason.EMPTY_CAPTION);
        bad(records, expectedRejections, "caption-empty",
                pair(id("caption-empty"), TestImages.png(64, 64, 5), ""), RejectReason.EMPTY_CAPTION);
        bad(records, expectedRejections, "not-avro", TestImages.text("{\"pairId\": \"json is not avro\"}"), RejectReason.UNDECODABLE_RECORD);
        bad(records, expectedRejections, "unknown-schema", unknownFingerprint(pair(id("x"), TestImages.png(8, 8, 1), "x")),
                RejectReason.UNKNOWN_SCHEMA);
        bad(records, expectedRejections, "corrupt-avro", corruptBody(pair(id("y"), TestImages.png(8, 8, 1), "x")),
                RejectReason.UNDECODABLE_RECORD);
        bad(records, expectedRejections, "tombstone", null, RejectReason.INVALID_RECORD);
        bad(records, expectedRejections, "empty-pair-id", pair("", TestImages.png(64, 64, 6), "x"), RejectReason.INVALID_RECORD);

        // --- good: each must come out normalised at 224×224 with this caption
        good(records, expectedCaptions, "png-rgb", TestImages.png(640, 480, 11), "a <b>red</b> circle &amp; friends", "a red circle & friends");
        good(records, expectedCaptions, "jpeg", TestImages.jpeg(640, 480, 12), "a JPEG photo", "a JPEG photo");
        good(records, expectedCaptions, "png-16bit", TestImages.png16(300, 200), "a 16-bit gradient", "a 16-bit gradient");
        good(records, expectedCaptions, "gif", TestImages.encode(TestImages.picture(120, 90, 13), "gif"), "a gif", "a gif");
        good(records, expectedCaptions, "bmp", TestImages.encode(TestImages.picture(120, 90, 14), "bmp"), "a bitmap", "a bitmap");
        good(records, expectedCaptions, "gray-png", grayPng(), "a gray square", "a gray square");
        good(records, expectedCaptions, "tall", TestImages.png(50, 900, 15), "tall\u0000and\u0007thin", "tall and thin");
        good(records, expectedCaptions, "cmyk-jpeg", TestImages.cmykJpeg(300, 200), "a CMYK print file", "a CMYK print file");
        good(records, expectedCaptions, "exif-rotated", TestImages.withSegment(TestImages.jpeg(TestImages.picture(320, 200, 16)),
                0xE1, TestImages.exifOrientation(6, false)), "rotated by EXIF", "rotated by EXIF");

        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            records.forEach((key, value) -> kafka.send(Topics.PAIRS_RAW, id(key), value));
            // A duplicate of "jpeg" (same image, same caption, another id): rejected as such, naming "jpeg", and counted.
            kafka.send(Topics.PAIRS_RAW, id("jpeg-again"), pair(id("jpeg-again"), TestImages.jpeg(640, 480, 12), "a JPEG photo"));
            expectedRejections.put(id("jpeg-again"), RejectReason.DUPLICATE);

            List<ConsumerRecord<String, Rejected>> rejected = kafka.readUntil(Topics.PAIRS_REJECTED, AvroSerde.of(Rejected.class),
                    read -> keys(read).containsAll(expectedRejections.keySet()), Duration.ofSeconds(90));
            Map<String, RejectReason> reasons = new HashMap<>();
            for (ConsumerRecord<String, Rejected> r : rejected) {
                if (expectedRejections.containsKey(r.key())) {
                    assertTrue(reasons.put(r.key(), r.value().getReason()) == null, "rejected once: " + r.key());
                    assertTrue(!r.value().getMessage().isBlank());
                    assertEquals(Topics.PAIRS_RAW, r.value().getSourceTopic());
                    assertTrue(r.value().getSourceOffset() >= 0);
                }
                if (r.key().equals(id("jpeg-again"))) {
                    assertEquals(id("jpeg"), r.value().getAttributes().get("duplicateOf"), r.value().toString());
                }
            }
            assertEquals(expectedRejections, reasons);

            List<ConsumerRecord<String, NormalizedPair>> normalized = kafka.readUntil(Topics.PAIRS_NORMALIZED,
                    AvroSerde.of(NormalizedPair.class), read -> keys(read).containsAll(expectedCaptions.keySet()),
                    Duration.ofSeconds(60));
            Map<String, String> captions = new HashMap<>();
            for (ConsumerRecord<String, NormalizedPair> r : normalized) {
                if (r.key().startsWith(run)) {
                    NormalizedPair p = r.value();
                    assertEquals(224, p.getWidth(), r.key());
                    assertEquals(224, p.getHeight(), r.key());
                    assertEquals(224 * 224 * 3, p.getPixels().remaining(), r.key());
                    assertTrue(captions.put(r.key(), p.getCaption()) == null, "normalised once: " + r.key());
                }
            }
            assertEquals(expectedCaptions, captions, "the duplicate jpeg-again must not appear");
        }

        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        Map<String, Double> counts = scrapeCounters();
        double in = counts.get("clipstream_ingest_pairs_in_total");
        assertTrue(in >= records.size() + 1, "in " + counts);
        assertEquals(in, counts.get("clipstream_ingest_pairs_normalized_total") + counts.get("rejected")
                + counts.get("clipstream_ingest_pairs_duplicates_total"), 1e-9, "every input counted once: " + counts);
        assertTrue(counts.get("clipstream_ingest_pairs_duplicates_total") >= 1);
    }

    @Test
    void aPairThatDeclaresA2GiBImageIsRejectedAndTheNextPairStillFlows() {
        // Avro 1.12 allocated the declared 2 GiB before reading: OutOfMemoryError, the stream thread gone, and under
        // exactly-once the same record read again after every restart.
        byte[] poison = PoisonRecords.claiming(ImageTextPair.getClassSchema(), Schema.Type.BYTES).orElseThrow();
        String next = id("after-poison");
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.send(Topics.PAIRS_RAW, id("poison"), poison);
            kafka.send(Topics.PAIRS_RAW, next, pair(next, TestImages.png(64, 64, 41), "after the poison"));

            List<ConsumerRecord<String, Rejected>> rejected = kafka.readUntil(Topics.PAIRS_REJECTED,
                    AvroSerde.of(Rejected.class), read -> keys(read).contains(id("poison")), Duration.ofSeconds(60));
            Rejected r = rejected.stream().filter(c -> c.key().equals(id("poison"))).findFirst().orElseThrow().value();
            assertEquals(RejectReason.UNDECODABLE_RECORD, r.getReason());
            assertTrue(r.getMessage().contains("declares " + PoisonRecords.HUGE), r.getMessage());
            assertEquals(ByteBuffer.wrap(poison), r.getOriginalValue(), "the poison is kept for replay");

            List<ConsumerRecord<String, NormalizedPair>> normalized = kafka.readUntil(Topics.PAIRS_NORMALIZED,
                    AvroSerde.of(NormalizedPair.class), read -> keys(read).contains(next), Duration.ofSeconds(60));
            assertTrue(keys(normalized).contains(next), "the pair after the poison is normalised");
        }
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void aPairWithAttributesOverTheCapsIsRejectedAndThePairAfterItFlows() {
        // Attributes ride along to pairs.normalized; unbounded, one pair could make an output no topic accepts.
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i <= AttributeLimits.DEFAULT.maxCount(); i++) {
            many.put("a" + i, "v");
        }
        String overCap = id("attributes-over-cap");
        String next = id("after-attributes");
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            kafka.send(Topics.PAIRS_RAW, overCap, pairs.encode(ImageTextPair.newBuilder().setPairId(overCap)
                    .setImage(ByteBuffer.wrap(TestImages.png(64, 64, 42))).setCaption("many attributes")
                    .setEventTime(Instant.now()).setAttributes(many).build()));
            kafka.send(Topics.PAIRS_RAW, next, pair(next, TestImages.png(64, 64, 43), "few attributes"));

            List<ConsumerRecord<String, Rejected>> rejected = kafka.readUntil(Topics.PAIRS_REJECTED,
                    AvroSerde.of(Rejected.class), read -> keys(read).contains(overCap), Duration.ofSeconds(60));
            Rejected r = rejected.stream().filter(c -> c.key().equals(overCap)).findFirst().orElseThrow().value();
            assertEquals(RejectReason.INVALID_RECORD, r.getReason());
            assertTrue(r.getMessage().contains("too many attributes: " + many.size()), r.getMessage());
            assertEquals(Map.of(), r.getAttributes(), "over the caps, they stay in the original bytes only");
            assertTrue(kafka.readUntil(Topics.PAIRS_NORMALIZED, AvroSerde.of(NormalizedPair.class),
                    read -> keys(read).contains(next), Duration.ofSeconds(60)).stream().anyMatch(c -> c.key().equals(next)));
        }
    }

    @Test
    void uploadsGoThroughKafkaAndMalformedRequestsGet400WithAMessage() {
        String b64 = Base64.getEncoder().encodeToString(TestImages.png(300, 200, 21));
        String jsonId = id("json-upload");
        asClient().contentType(ContentType.JSON).body(Map.of("pairId", jsonId, "image", b64, "caption", "uploaded as json"))
                .post("/pairs").then().statusCode(202).body("pairIds[0]", is(jsonId));

        String formId = asClient().multiPart("image", "photo.jpg", TestImages.jpeg(320, 240, 22), "image/jpeg")
                .multiPart("caption", "uploaded as a form").multiPart("attributes", "{\"camera\": \"7\"}")
                .post("/pairs").then().statusCode(202).extract().path("pairIds[0]");

        String batch = String.join("\n",
                "{\"pairId\": \"" + id("batch-1") + "\", \"image\": \"" + Base64.getEncoder().encodeToString(TestImages.png(64, 64, 31)) + "\", \"caption\": \"one\"}",
                "",
                "{\"pairId\": \"" + id("batch-2") + "\", \"image\": \"" + Base64.getEncoder().encodeToString(TestImages.png(64, 64, 32)) + "\", \"caption\": \"two\"}");
        asClient().contentType("application/x-ndjson").body(batch.getBytes(StandardCharsets.UTF_8)).post("/pairs/batch").then().statusCode(202)
                .body("pairIds", hasSize(2));

        Set<String> expected = Set.of(jsonId, formId, id("batch-1"), id("batch-2"));
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            List<ConsumerRecord<String, NormalizedPair>> read = kafka.readUntil(Topics.PAIRS_NORMALIZED,
                    AvroSerde.of(NormalizedPair.class), r -> keys(r).containsAll(expected), Duration.ofSeconds(60));
            assertTrue(keys(read).containsAll(expected), "uploads normalised: " + keys(read));
            read.stream().filter(r -> r.key().equals(formId)).forEach(r ->
                    assertEquals(Map.of("camera", "7"), r.value().getAttributes()));
        }

        asClient().contentType(ContentType.JSON).body("{\"image\": ").post("/pairs").then().statusCode(400)
                .body("error", containsString("malformed JSON"));
        asClient().contentType(ContentType.JSON).body(Map.of("image", b64)).post("/pairs").then().statusCode(400)
                .body("error", containsString("\"caption\" is missing"));
        asClient().contentType(ContentType.JSON).body(Map.of("image", "***not base64***", "caption", "c")).post("/pairs")
                .then().statusCode(400).body("error", containsString("base64"));
        asClient().contentType(ContentType.JSON).body(Map.of("imageUrl", "file:///etc/passwd", "caption", "c")).post("/pairs")
                .then().statusCode(400).body("error", containsString("image URLs are disabled"));
        asClient().multiPart("caption", "no image").post("/pairs").then().statusCode(400)
                .body("error", containsString("\"image\""));
        asClient().contentType("application/x-ndjson")
                .body(("{\"caption\": \"x\", \"image\": \"" + b64 + "\"}\n{oops").getBytes(StandardCharsets.UTF_8))
                .post("/pairs/batch").then().statusCode(400).body("error", containsString("line 2"));
    }

    // --- corpus helpers

    private void bad(Map<String, byte[]> records, Map<String, RejectReason> expected, String name, byte[] value,
            RejectReason reason) {
        records.put(name, value);
        expected.put(id(name), reason);
    }

    private void good(Map<String, byte[]> records, Map<String, String> expected, String name, byte[] image,
            String caption, String cleanCaption) {
        records.put(name, pair(id(name), image, caption));
        expected.put(id(name), cleanCaption);
    }

    private static Set<String> keys(List<? extends ConsumerRecord<String, ?>> records) {
        Set<String> keys = new HashSet<>();
        records.forEach(r -> keys.add(r.key()));
        return keys;
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new java.util.Random(n).nextBytes(bytes);
        bytes[0] = 0x13; // no image magic by accident
        return bytes;
    }

    /** A real PNG followed by junk up to {@code size} bytes: over the configured byte limit. */
    private static byte[] padded(byte[] png, int size) {
        return java.util.Arrays.copyOf(png, size);
    }

    private byte[] invalidUtf8Caption(String id) {
        byte[] encoded = pair(id, TestImages.png(64, 64, 7), "caption @@@@ here");
        String latin1 = new String(encoded, StandardCharsets.ISO_8859_1);
        int at = latin1.indexOf("@@@@");
        encoded[at] = (byte) 0xFF;
        encoded[at + 1] = (byte) 0xFE;
        encoded[at + 2] = (byte) 0xC3; // a lead byte without its continuation
        encoded[at + 3] = (byte) 0x28;
        return encoded;
    }

    private static byte[] unknownFingerprint(byte[] encoded) {
        byte[] copy = encoded.clone();
        copy[4] ^= 0x77;
        return copy;
    }

    private static byte[] corruptBody(byte[] encoded) {
        byte[] copy = java.util.Arrays.copyOf(encoded, 14);
        copy[10] = (byte) 0xFF; // a string length far past the end
        copy[11] = (byte) 0xFF;
        copy[12] = (byte) 0xFF;
        copy[13] = (byte) 0x0F;
        return copy;
    }

    private static byte[] grayPng() {
        BufferedImage gray = new BufferedImage(100, 100, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < 100; i++) {
            gray.getRaster().setSample(i, i, 0, 200);
        }
        return TestImages.encode(gray, "png");
    }

    private static Map<String, Double> scrapeCounters() {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        Map<String, Double> counts = new HashMap<>();
        double rejected = 0;
        Matcher m = Pattern.compile("(?m)^(clipstream_ingest_pairs_\\w+_total)(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(body);
        while (m.find()) {
            double value = Double.parseDouble(m.group(3));
            if (m.group(1).equals("clipstream_ingest_pairs_rejected_total")) {
                rejected += value;
            } else {
                counts.put(m.group(1), value);
            }
        }
        counts.put("rejected", rejected);
        return counts;
    }

}
