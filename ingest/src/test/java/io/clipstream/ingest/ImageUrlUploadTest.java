package io.clipstream.ingest;

import static io.clipstream.http.TestTokens.asOperator;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.clipstream.broker.KafkaBrokerTestResource;
import io.clipstream.broker.KafkaTestClient;
import io.clipstream.model.image.TestImages;
import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Uploads naming their image by URL, with URLs allowed: a directory and a server on 127.0.0.1, allowed by name. */
@QuarkusTest
@TestProfile(ImageUrlUploadTest.UrlsAllowed.class)
@QuarkusTestResource(KafkaBrokerTestResource.class)
class ImageUrlUploadTest {

    static final byte[] PNG = TestImages.png(96, 64, 41);
    /** Shared through system properties: the profile and the test are loaded twice, by two class loaders. */
    private static final String DIR_PROPERTY = "clipstream.test.image-urls.dir";
    private static final String BASE_PROPERTY = "clipstream.test.image-urls.base";

    static synchronized Path dir() {
        start();
        return Path.of(System.getProperty(DIR_PROPERTY));
    }

    static synchronized String base() {
        start();
        return System.getProperty(BASE_PROPERTY);
    }

    /** A directory with an image and a server on 127.0.0.1 serving it, once per JVM. */
    private static void start() {
        if (System.getProperty(BASE_PROPERTY) != null) {
            return;
        }
        try {
            Path dir = Files.createTempDirectory("clipstream-image-urls").toRealPath();
            Files.write(dir.resolve("a.png"), PNG);
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/images/a.png", exchange -> {
                exchange.sendResponseHeaders(200, PNG.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(PNG);
                }
            });
            server.start();
            System.setProperty(DIR_PROPERTY, dir.toString());
            System.setProperty(BASE_PROPERTY, "http://127.0.0.1:" + server.getAddress().getPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static class UrlsAllowed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("clipstream.ingest.allow-image-urls", "true",
                    "clipstream.ingest.image-urls.allowed-prefixes", dir().toUri() + "," + base() + "/images/",
                    "clipstream.ingest.image-urls.allowed-networks", "127.0.0.1/32");
        }
    }

    @Test
    void allowedUrlsAreReadAndRefusedOnesAnsweredWithTheReason() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String fromHttp = run + "-http";
        String fromFile = run + "-file";
        asOperator().contentType(ContentType.JSON).body(Map.of("pairId", fromHttp, "imageUrl", base() + "/images/a.png",
                "caption", "read over http")).post("/pairs").then().statusCode(202).body("pairIds[0]", is(fromHttp));
        asOperator().contentType(ContentType.JSON).body(Map.of("pairId", fromFile,
                "imageUrl", dir().resolve("a.png").toUri().toString(), "caption", "read from a file")).post("/pairs")
                .then().statusCode(202);

        asOperator().contentType(ContentType.JSON).body(Map.of("imageUrl", "file:///etc/passwd", "caption", "c"))
                .post("/pairs").then().statusCode(400).body("error", containsString("not under an allowed directory"));
        asOperator().contentType(ContentType.JSON).body(Map.of("imageUrl", "http://169.254.169.254/latest/meta-data/",
                "caption", "c")).post("/pairs").then().statusCode(400)
                .body("error", containsString("not under an allowed prefix"));

        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            List<ConsumerRecord<String, NormalizedPair>> read = kafka.readUntil(Topics.PAIRS_NORMALIZED,
                    AvroSerde.of(NormalizedPair.class), r -> keys(r).containsAll(Set.of(fromHttp, fromFile)),
                    Duration.ofSeconds(60));
            assertTrue(keys(read).containsAll(Set.of(fromHttp, fromFile)), "both normalised: " + keys(read));
        }
    }

    private static Set<String> keys(List<? extends ConsumerRecord<String, ?>> records) {
        return records.stream().map(ConsumerRecord::key).collect(Collectors.toSet());
    }
}
