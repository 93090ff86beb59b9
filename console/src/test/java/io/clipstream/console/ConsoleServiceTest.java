package io.clipstream.console;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The console: its pages and every asset they name are its own (nothing from elsewhere), and its proxy passes
 * requests, the bearer token and server-sent events to the service named in the path, and says so in JSON when it
 * cannot.
 */
@QuarkusTest
@QuarkusTestResource(StubServiceResource.class)
class ConsoleServiceTest {

    private static final Path PAGES = Path.of("src/main/resources/META-INF/resources");
    /** Any scheme-relative or absolute address, but the SVG namespace (a name the browser never fetches). */
    private static final Pattern ELSEWHERE = Pattern.compile("(https?:)?//(?!www\\.w3\\.org/2000/svg)[a-z0-9.-]+\\.[a-z]");
    private static final Pattern ASSET = Pattern.compile("(?:src|href)=\"([^\"]+)\"");

    @TestHTTPResource("/")
    URL root;

    @Test
    void thePagesAreServedWithAPolicyThatLoadsNothingFromElsewhere() {
        for (String page : List.of("/", "/index.html", "/live.html", "/label-sets.html", "/training.html",
                "/rollout.html", "/search.html")) {
            given().get(page).then().statusCode(200).contentType(containsString("text/html"))
                    .header("Content-Security-Policy", containsString("default-src 'self'"))
                    .header("Referrer-Policy", is("no-referrer"))
                    .body(containsString("<script src=\"console.js\"></script>"));
        }
    }

    @Test
    void everyAssetThePagesNameIsServedHereAndNoneComesFromElsewhere() throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(PAGES)) {
            files = listed.toList();
        }
        assertTrue(files.size() >= 10, files.toString());
        for (Path file : files) {
            String text = Files.readString(file);
            Matcher elsewhere = ELSEWHERE.matcher(text);
            assertFalse(elsewhere.find(), file + " names an address elsewhere: " + (elsewhere.find(0) ? elsewhere.group() : ""));
            if (file.toString().endsWith(".html")) {
                Matcher asset = ASSET.matcher(text);
                List<String> named = new ArrayList<>();
                while (asset.find()) {
                    named.add(asset.group(1));
                }
                assertTrue(named.contains("console.css") && named.contains("favicon.svg"), file + ": " + named);
                for (String name : named) {
                    given().get("/" + name).then().statusCode(200);
                }
            }
        }
    }

    @Test
    void theProxyPassesTheTokenTheQueryAndTheBodyAndNothingElse() {
        given().auth().oauth2("a-client-token").cookie("session", "secret").queryParam("labelSet", "pets")
                .get("/api/classifier/label-sets").then().statusCode(200)
                .body("method", is("GET")).body("uri", is("/label-sets?labelSet=pets"))
                .body("authorization", is("Bearer a-client-token")).body("cookie", is(""))
                .header("ETag", is("\"7\"")).header("Set-Cookie", nullValue());
        given().auth().oauth2("t").contentType("image/png").header("If-Match", "\"3\"").body(new byte[12345])
                .post("/api/classifier/classify").then().statusCode(200)
                .body("method", is("POST")).body("contentType", org.hamcrest.Matchers.startsWith("image/png")).body("bodyBytes", is(12345))
                .body("ifMatch", is("'3'"));
        given().get("/api/classifier/missing").then().statusCode(404);
    }

    @Test
    void whatTheProxyCannotDoIsAnsweredAsJson() {
        given().get("/api/nowhere/label-sets").then().statusCode(404).contentType("application/json")
                .body("error", containsString("no service 'nowhere'"));
        given().get("/api/trainer/trainer/status").then().statusCode(502).contentType("application/json")
                .body("error", containsString("the trainer service at http://127.0.0.1:"));
        given().get("/console/services").then().statusCode(200)
                .body("services.classifier", containsString("http://127.0.0.1:"));
    }

    @Test
    void serverSentEventsPassOneByOneWhileTheStreamIsOpen() throws Exception {
        StubServiceResource.endStream = new CountDownLatch(1);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(root
                + "api/classifier/classifications/stream?labelSet=pets")).header("Accept", "text/event-stream")
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        List<String> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            // Both arrive while the stand-in still holds its stream open: nothing waits for the end.
            while (events.size() < 2) {
                String line = reader.readLine();
                if (line == null) {
                    break;
                }
                if (line.startsWith("data:")) {
                    events.add(line);
                }
            }
            StubServiceResource.endStream.countDown();
        }
        assertEquals(List.of("data:{\"imageId\": \"image-1\"}", "data:{\"imageId\": \"image-2\"}"), events);
    }

    /** The page shows "live" once the head arrives: the proxy must not hold it back until a first event. */
    @Test
    void theHeadOfAStreamPassesBeforeItsFirstEvent() throws Exception {
        StubServiceResource.endQuietStream = new CountDownLatch(1);
        try {
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(root
                    + "api/classifier/classifications/quiet")).header("Accept", "text/event-stream")
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
            assertTrue(StubServiceResource.quietStreamOpen, "the head came while the service's stream was open");
            response.body().close();
        } finally {
            StubServiceResource.endQuietStream.countDown();
        }
    }

    /** /q/metrics as the services have it; a proxied request is counted under its service, not its whole path. */
    @Test
    void metricsCountProxiedRequestsPerServiceNotPerPath() {
        given().auth().oauth2("t").get("/api/classifier/label-sets/a-set-nobody-should-see-in-metrics")
                .then().statusCode(200);
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("uri=\"/api/classifier/*\""), "requests by service: " + metrics.lines()
                .filter(l -> l.startsWith("http_server_requests")).toList());
        assertFalse(metrics.contains("a-set-nobody-should-see-in-metrics"), "no path in the metrics");
    }
}
