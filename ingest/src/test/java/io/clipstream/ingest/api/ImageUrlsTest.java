package io.clipstream.ingest.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.clipstream.model.image.TestImages;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image URLs against a real HTTP server on 127.0.0.1 and real files. Traffic only ever goes to loopback: every
 * reader here fails the test before connecting anywhere else, so a refusal that should come first but does not
 * shows as a failure, not as a connection.
 */
class ImageUrlsTest {

    private static final long MAX_BYTES = 10_000;
    private static final byte[] PNG = TestImages.png(32, 32, 5);

    private static Vertx vertx;
    private static HttpServer server;
    private static String base;
    private static final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private static volatile CountDownLatch release = new CountDownLatch(1);

    @TempDir
    Path temp;
    private final List<InetSocketAddress> connected = new CopyOnWriteArrayList<>();
    private final List<ImageUrls> readers = new java.util.ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        vertx = Vertx.vertx();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ImageUrlsTest::serve);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        release.countDown();
        server.stop(0);
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void reset() {
        hits.clear();
        release = new CountDownLatch(1);
    }

    @AfterEach
    void close() {
        release.countDown();
        readers.forEach(ImageUrls::close);
    }

    private static void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        switch (path) {
            case "/images/a.png" -> send(exchange, 200, PNG, true);
            case "/images/big.png" -> send(exchange, 200, new byte[(int) MAX_BYTES + 1], true);
            case "/images/big-chunked.png" -> send(exchange, 200, new byte[(int) MAX_BYTES * 3], false);
            case "/images/missing.png" -> send(exchange, 404, new byte[0], true);
            case "/images/same-host" -> redirect(exchange, "/images/a.png");
            case "/images/other-host" -> redirect(exchange,
                    "http://localhost:" + server.getAddress().getPort() + "/images/a.png");
            case "/images/metadata" -> redirect(exchange, "http://169.254.169.254/latest/meta-data/");
            case "/images/outside" -> redirect(exchange, "/secret");
            case "/images/loop" -> redirect(exchange, "/images/loop");
            case "/images/slow.png" -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                send(exchange, 200, PNG, true);
            }
            default -> send(exchange, 200, "secret".getBytes(), true);
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body, boolean withLength) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : withLength ? body.length : 0);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        } catch (IOException e) {
            // the reader hung up on purpose (too large)
        }
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private ImageUrls reader(List<String> prefixes, List<String> networks) {
        return reader(prefixes, networks, Duration.ofSeconds(20));
    }

    private ImageUrls reader(List<String> prefixes, List<String> networks, Duration timeout) {
        ImageUrls urls = ImageUrls.enabled(ImageUrlPolicy.of(prefixes, networks),
                new ImageUrls.Limits(MAX_BYTES, 3, Duration.ofSeconds(5), timeout), vertx, address -> {
                    if (!address.getAddress().isLoopbackAddress()) {
                        throw new AssertionError("attempted to connect to " + address);
                    }
                    connected.add(address);
                });
        readers.add(urls);
        return urls;
    }

    /** The allowed loopback server: 127.0.0.1 is refused unless allowed, like every internal address. */
    private ImageUrls loopback() {
        return reader(List.of(base + "/images/"), List.of("127.0.0.1/32"));
    }

    private static String refusal(ImageUrls urls, String url) {
        return assertThrows(UploadException.class, () -> urls.read(url, "request")).getMessage();
    }

    private int hits(String path) {
        AtomicInteger count = hits.get(path);
        return count == null ? 0 : count.get();
    }

    // --- http

    @Test
    void anAllowListedUrlOnAnAllowedNetworkIsRead() {
        assertArrayEquals(PNG, loopback().read(base + "/images/a.png", "request"));
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", server.getAddress().getPort())), connected);
    }

    @Test
    void loopbackIsRefusedUnlessAnAllowedNetworkNamesIt() {
        String message = refusal(reader(List.of(base + "/images/"), List.of()), base + "/images/a.png");
        assertTrue(message.contains("127.0.0.1, a loopback address"), message);
        assertEquals(0, hits("/images/a.png"));
        assertTrue(connected.isEmpty());
    }

    @Test
    void aHostNameIsResolvedAndItsAddressCheckedBeforeConnecting() {
        String prefix = "http://localhost:" + server.getAddress().getPort() + "/images/";
        String message = refusal(reader(List.of(prefix), List.of()), prefix + "a.png");
        assertTrue(message.contains("localhost resolves to") && message.contains("loopback address"), message);
        assertTrue(connected.isEmpty());
    }

    @Test
    void privateLinkLocalSharedAndMetadataAddressesAreRefusedBeforeConnecting() {
        Map<String, String> refused = Map.of(
                "http://10.1.2.3/images/x.png", "private",
                "http://172.20.0.1/images/x.png", "private",
                "http://192.168.1.1/images/x.png", "private",
                "http://169.254.169.254/images/x.png", "link-local",
                "http://100.64.0.1/images/x.png", "shared",
                "http://0.0.0.0/images/x.png", "unspecified",
                "http://224.0.0.1/images/x.png", "multicast",
                "http://[fe80::1]/images/x.png", "link-local",
                "http://[fd00:ec2::254]/images/x.png", "unique local",
                "http://[::ffff:10.0.0.1]/images/x.png", "private");
        refused.forEach((url, range) -> {
            String prefix = url.substring(0, url.indexOf("/images/") + "/images/".length());
            String message = refusal(reader(List.of(prefix), List.of()), url);
            assertTrue(message.contains("a " + range), url + ": " + message);
        });
        assertTrue(connected.isEmpty(), "no connection attempted: " + connected);
    }

    @Test
    void addressRangesInsideIpv6FormsAreRecognised() throws IOException {
        assertEquals("private", ImageUrlPolicy.refusedRange(InetAddress.getByName("64:ff9b::a00:1")));
        assertEquals("loopback", ImageUrlPolicy.refusedRange(InetAddress.getByName("2002:7f00:1::")));
        assertEquals("loopback", ImageUrlPolicy.refusedRange(InetAddress.getByName("::127.0.0.1")));
        assertNull(ImageUrlPolicy.refusedRange(InetAddress.getByName("93.184.216.34")));
        assertNull(ImageUrlPolicy.refusedRange(InetAddress.getByName("2606:4700::1111")));
    }

    @Test
    void aUrlOutsideThePrefixesIsRefusedBeforeConnecting() {
        ImageUrls urls = loopback();
        String port = ":" + server.getAddress().getPort();
        for (String url : List.of(base + "/secret", base + "/imagesX/a.png", "http://localhost" + port + "/images/a.png",
                "https://127.0.0.1" + port + "/images/a.png", "http://127.0.0.1:1/images/a.png",
                "http://evil@127.0.0.1" + port + "/images/a.png", base + "/images/../secret",
                base + "/images/%2e%2e/secret")) {
            String message = refusal(urls, url);
            assertTrue(message.contains("is refused"), url + ": " + message);
        }
        assertTrue(connected.isEmpty(), "no connection attempted: " + connected);
        assertEquals(0, hits("/secret"));
    }

    @Test
    void redirectsAreFollowedOnTheSameHostAndCheckedAgain() {
        ImageUrls urls = loopback();
        assertArrayEquals(PNG, urls.read(base + "/images/same-host", "request"));

        String other = refusal(urls, base + "/images/other-host");
        assertTrue(other.contains("redirects to another host"), other);
        String metadata = refusal(urls, base + "/images/metadata");
        assertTrue(metadata.contains("redirects to another host"), metadata);
        String outside = refusal(urls, base + "/images/outside");
        assertTrue(outside.contains("not under an allowed prefix"), outside);
        String loop = refusal(urls, base + "/images/loop");
        assertTrue(loop.contains("more than 3 redirects"), loop);
        assertEquals(4, hits("/images/loop"), "the first request and three redirects");
        assertEquals(0, hits("/secret"));
        assertEquals(1, hits("/images/a.png"), "only the same-host redirect reached the image");
    }

    @Test
    void aRedirectToAnotherAllowedHostIsRefusedToo() {
        String port = ":" + server.getAddress().getPort();
        ImageUrls urls = reader(List.of(base + "/images/", "http://localhost" + port + "/images/"),
                List.of("127.0.0.0/8", "::1"));
        String message = refusal(urls, base + "/images/other-host");
        assertTrue(message.contains("redirects to another host"), message);
        assertEquals(0, hits("/images/a.png"));
    }

    @Test
    void anImageOverTheSizeLimitIsRefusedWithOrWithoutALength() {
        ImageUrls urls = loopback();
        String declared = refusal(urls, base + "/images/big.png");
        assertTrue(declared.contains("larger than " + MAX_BYTES + " bytes"), declared);
        String chunked = refusal(urls, base + "/images/big-chunked.png");
        assertTrue(chunked.contains("larger than " + MAX_BYTES + " bytes"), chunked);
    }

    @Test
    void aServerThatDoesNotAnswerInTimeIsGivenUpOn() {
        ImageUrls urls = reader(List.of(base + "/images/"), List.of("127.0.0.1"), Duration.ofMillis(300));
        String message = refusal(urls, base + "/images/slow.png");
        assertTrue(message.contains("did not answer within 300 ms"), message);
    }

    @Test
    void anErrorStatusSaysWhichUrlAnsweredWhat() {
        String message = refusal(loopback(), base + "/images/missing.png");
        assertTrue(message.contains("answered HTTP 404"), message);
    }

    // --- files

    @Test
    void aFileUnderAnAllowedDirectoryIsRead() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("allowed"));
        Files.write(dir.resolve("a.png"), PNG);
        ImageUrls urls = reader(List.of(dir.toUri().toString()), List.of());
        assertArrayEquals(PNG, urls.read(dir.resolve("a.png").toUri().toString(), "request"));
    }

    @Test
    void filesOutsideTheDirectoriesAreRefusedWhateverTheRoute() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("allowed"));
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Path sibling = Files.createDirectories(temp.resolve("allowed-not"));
        Files.writeString(outside.resolve("secret.txt"), "top-secret-content");
        Files.writeString(sibling.resolve("secret.txt"), "top-secret-content");
        Files.createSymbolicLink(dir.resolve("link.png"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(dir.resolve("linked-dir"), outside);
        ImageUrls urls = reader(List.of(dir.toUri().toString()), List.of());
        String link = "a symbolic link leads outside the allowed directories";

        Map<String, String> refused = Map.of(
                outside.resolve("secret.txt").toUri().toString(), "not under an allowed directory",
                sibling.resolve("secret.txt").toUri().toString(), "not under an allowed directory",
                "file:///etc/passwd", "not under an allowed directory",
                dir.toUri() + "../outside/secret.txt", "'..' is not allowed",
                dir.toUri() + "%2e%2e/outside/secret.txt", "'..' is not allowed",
                dir.resolve("link.png").toUri().toString(), link,
                dir.resolve("linked-dir").resolve("secret.txt").toUri().toString(), link,
                "file://otherhost" + dir.resolve("a.png").toUri().getPath(), "a file: URL may not name a host");
        refused.forEach((url, why) -> {
            String message = refusal(urls, url);
            assertTrue(message.contains("is refused: " + why), url + ": " + message);
            assertTrue(!message.contains("top-secret-content"), "nothing of the file is told: " + message);
        });
    }

    @Test
    void aFileOverTheSizeLimitIsRefused() throws IOException {
        Path dir = Files.createDirectories(temp.resolve("allowed"));
        Files.write(dir.resolve("big.png"), new byte[(int) MAX_BYTES + 1]);
        String message = refusal(reader(List.of(dir.toUri().toString()), List.of()),
                dir.resolve("big.png").toUri().toString());
        assertTrue(message.contains("larger than " + MAX_BYTES + " bytes"), message);
    }

    // --- settings

    @Test
    void urlsAllowedWithoutAPrefixOrWithAnUnusableOneFailAtStartUp() {
        ImageUrls.Limits limits = new ImageUrls.Limits(MAX_BYTES, 3, Duration.ofSeconds(5), Duration.ofSeconds(20));
        String none = assertThrows(IllegalArgumentException.class,
                () -> ImageUrls.of(true, List.of(), List.of(), limits, vertx)).getMessage();
        assertTrue(none.contains(ImageUrlPolicy.PREFIXES_KEY), none);
        for (String bad : List.of("ftp://host/", "https:///path", "https://user@host/", "http://host/a?b=c",
                temp.resolve("missing").toUri().toString(), "file://host/dir/", "not a url")) {
            assertThrows(IllegalArgumentException.class, () -> ImageUrlPolicy.of(List.of(bad), List.of()), bad);
        }
        for (String bad : List.of("localhost", "10.0.0.0/33", "10.0.0/8", "fe80::/200")) {
            assertThrows(IllegalArgumentException.class, () -> ImageUrlPolicy.of(List.of(base + "/"), List.of(bad)),
                    bad);
        }
    }

    @Test
    void disabledUrlsSayHowToEnableThem() {
        String message = refusal(ImageUrls.disabled(), base + "/images/a.png");
        assertTrue(message.contains("image URLs are disabled") && message.contains(ImageUrlPolicy.PREFIXES_KEY),
                message);
        assertEquals(0, hits("/images/a.png"));
    }
}
