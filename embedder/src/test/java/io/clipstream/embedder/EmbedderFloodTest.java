package io.clipstream.embedder;

import static io.clipstream.http.TestTokens.asOperator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.clipstream.http.TestTokens;
import io.clipstream.broker.KafkaBrokerTestResource;
import io.clipstream.model.image.ImageLimits;
import io.clipstream.model.image.TestImages;
import io.clipstream.schemas.ImageEmbedding;
import io.clipstream.schemas.RejectReason;
import io.clipstream.schemas.Rejected;
import io.clipstream.schemas.Topics;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Floods of images that declare many pixels in few bytes, against the embedder's heap: decoding stays within the
 * decode budget, HTTP answers 200 or 503 with Retry-After, the stream waits and loses nothing, the queue stays
 * within its byte bound; an image declaring more than the whole budget is rejected. (The test profile's budget,
 * 512 MiB, fits two 40 Mpx grey PNGs at once.)
 */
@QuarkusTest
@TestProfile(EmbedderProfiles.ServingVersion1.class)
@QuarkusTestResource(KafkaBrokerTestResource.class)
class EmbedderFloodTest {

    /** 6000 × 6600 = 39.6 Mpx, just under the 40 Mpx limit; an 8-bit grey PNG of black rows, ~40 KB. */
    private static final byte[] LARGE_DECLARED = TestImages.png(6000, 6600, 8, 0, new byte[6001 * 6600]);
    private static final int CONCURRENT = 8;
    /** 16 × 2,400,000 px, under the pixel limit in 40 KB; its resize to the model's size would need gigabytes. */
    private static final byte[] TALL = TestImages.png(16, 2_400_000, 8, 0, new byte[17 * 2_400_000]);

    @TestHTTPResource("/embed/images")
    URI embedImages;

    private final ObjectMapper json = new ObjectMapper();
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private static byte[] noisePng(int width, int height, int seed) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        new Random(seed).nextBytes(((DataBufferByte) image.getRaster().getDataBuffer()).getData());
        return TestImages.encode(image, "png");
    }

    private static double metric(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? ([0-9.E+-]+)$").matcher(metrics);
        assertTrue(m.find(), name + " is exposed");
        return Double.parseDouble(m.group(1));
    }

    @Test
    void concurrentLargeDeclaredImagesOverHttpStayWithinTheDecodeBudget() throws Exception {
        assertTrue(6000L * 6600 <= ImageLimits.DEFAULT.maxPixels() && LARGE_DECLARED.length < 64 * 1024,
                LARGE_DECLARED.length + " bytes");
        HttpClient client = HttpClient.newHttpClient();
        ExecutorService threads = Executors.newFixedThreadPool(CONCURRENT);
        List<HttpResponse<String>> answers = new ArrayList<>();
        // Measured, not asserted (garbage not yet collected counts too): the heap in use while the flood lasts.
        AtomicLong heapPeak = new AtomicLong();
        AtomicBoolean flooding = new AtomicBoolean(true);
        Thread sampler = new Thread(() -> {
            while (flooding.get()) {
                heapPeak.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                Thread.onSpinWait();
            }
        });
        long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        sampler.start();
        try {
            List<Future<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < CONCURRENT; i++) {
                sent.add(threads.submit(() -> client.send(HttpRequest.newBuilder(embedImages)
                        .header("Content-Type", "image/png").header("Authorization", "Bearer " + TestTokens.CLIENT)
                        .timeout(Duration.ofSeconds(120))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(LARGE_DECLARED)).build(),
                        HttpResponse.BodyHandlers.ofString())));
            }
            for (Future<HttpResponse<String>> answer : sent) {
                answers.add(answer.get());
            }
        } finally {
            threads.shutdownNow();
            flooding.set(false);
            sampler.join();
        }
        System.out.printf("heap in use: %d MB before the flood, at most %d MB during it%n", heapBefore >> 20,
                heapPeak.get() >> 20);

        int ok = 0;
        int busy = 0;
        for (HttpResponse<String> answer : answers) {
            JsonNode body = json.readTree(answer.body());
            if (answer.statusCode() == 200) {
                ok++;
                assertEquals("1", body.get("modelVersion").asText());
            } else {
                busy++;
                assertEquals(503, answer.statusCode(), answer.body());
                assertTrue(body.get("error").asText().contains("decode budget"), answer.body());
                String retryAfter = answer.headers().firstValue("Retry-After").orElse(null);
                assertNotNull(retryAfter, "a 503 says when to retry");
                assertTrue(Integer.parseInt(retryAfter) >= 1, retryAfter);
            }
        }
        System.out.printf("flood of %d: %d embedded, %d answered 503%n", CONCURRENT, ok, busy);
        assertTrue(ok >= 1, "the first images get budget at once");

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        double peak = metric(metrics, "clipstream_embedder_decode_budget_peak_bytes");
        double capacity = metric(metrics, "clipstream_embedder_decode_budget_capacity_bytes");
        System.out.printf("decode budget: peak %.0f of %.0f bytes%n", peak, capacity);
        assertEquals(512L << 20, capacity, "the test profile's budget");
        assertTrue(peak <= capacity, "peak " + peak + " > budget " + capacity);
        assertTrue(peak >= 200e6, "the budget was used: one such image declares > 200 MB, peak " + peak);
        assertEquals(0, metric(metrics, "clipstream_embedder_decode_budget_used_bytes"), "every permit given back");

        // More than the whole budget: rejected before decoding, not decoded into an OutOfMemoryError.
        asOperator().contentType("image/png").body(TALL).post("/embed/images").then().statusCode(400)
                .body("error", containsString("IMAGE_TOO_MANY_PIXELS"))
                .body("error", containsString("decode budget"));

        // Still healthy, and still embedding.
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        asOperator().contentType("image/png").body(TestImages.png(64, 48, 5)).post("/embed/images").then().statusCode(200);
    }

    @Test
    void aBurstOfLargeImagesOnTheStreamIsEmbeddedWithTheQueueWithinItsByteBound() throws Exception {
        // Noise does not compress: ~1.9 MB records, each decoded to 224² pixels (150 KB) and its bytes let go.
        Set<String> ids = new HashSet<>();
        try (ImagesTopic images = new ImagesTopic()) {
            for (int i = 0; i < 16; i++) {
                String id = run + "-noise-" + i;
                images.send(null, id, noisePng(790, 790, i));
                ids.add(id);
            }
            // Declared-large images wait for decode budget on the stream: embedded, never dropped.
            for (int i = 0; i < 2; i++) {
                String id = run + "-large-" + i;
                images.send(null, id, LARGE_DECLARED);
                ids.add(id);
            }
            images.send(null, run + "-tall", TALL);
        }
        // The one declaring more than the whole budget is rejected with its reason; the consumer lives on.
        String tall = run + "-tall";
        Rejected rejected = ImagesTopic.rejections(r -> r.stream().anyMatch(x -> tall.equals(x.key()))).stream()
                .filter(x -> tall.equals(x.key())).findFirst().orElseThrow().value();
        assertEquals(RejectReason.IMAGE_TOO_MANY_PIXELS, rejected.getReason());
        assertTrue(rejected.getMessage().contains("decode budget"), rejected.getMessage());
        List<ConsumerRecord<String, ImageEmbedding>> out = ImagesTopic.embeddings(
                r -> r.stream().map(ConsumerRecord::key).collect(java.util.stream.Collectors.toSet()).containsAll(ids));
        assertTrue(out.stream().map(ConsumerRecord::key).toList().containsAll(ids), "every image embedded");

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        double peak = metric(metrics, "clipstream_embedder_queue_peak_bytes");
        double bound = metric(metrics, "clipstream_embedder_queue_capacity_bytes");
        System.out.printf("queue: peak %.0f of %.0f bytes%n", peak, bound);
        assertEquals(4L << 20, bound, "the test profile's bound");
        assertTrue(peak > 0 && peak <= bound, "peak " + peak + " within " + bound);
        assertTrue(metric(metrics, "clipstream_embedder_decode_budget_peak_bytes")
                <= metric(metrics, "clipstream_embedder_decode_budget_capacity_bytes"));
    }

    /** A stream image is one Kafka record: an HTTP body larger than a record cannot be a valid image either. */
    @Test
    void aBodyLargerThanAKafkaRecordIsRefusedBeforeItIsRead() throws Exception {
        MemorySize maxBody = ConfigProvider.getConfig().getValue("quarkus.http.limits.max-body-size", MemorySize.class);
        assertTrue(maxBody.asLongValue() <= Topics.MAX_MESSAGE_BYTES, maxBody.asLongValue() + " bytes");
        // Expect: 100-continue, as curl sends large bodies: the refusal comes before the body is sent.
        HttpResponse<String> answer = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(HttpRequest.newBuilder(embedImages)
                .header("Content-Type", "image/png").expectContinue(true)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[Topics.MAX_MESSAGE_BYTES + 1])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, answer.statusCode(), answer.body());
    }
}
