package io.clipstream.classifier;

import static io.clipstream.http.TestTokens.asOperator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.http.HealthContract;
import io.clipstream.http.TestTokens;
import io.clipstream.broker.KafkaBrokerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile and runaway input over HTTP (issue 13), with small caps: label-set bombs, concurrent conditional updates,
 * and more live subscribers than a client or the service may have.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@TestProfile(ClassifierLimitsServiceTest.SmallCaps.class)
class ClassifierLimitsServiceTest {

    static final int MAX_LABEL_SETS = 5;
    static final int MAX_PER_CLIENT = 2;

    public static class SmallCaps implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("clipstream.classifier.max-label-sets", Integer.toString(MAX_LABEL_SETS),
                    "clipstream.classifier.max-subscribers-per-client", Integer.toString(MAX_PER_CLIENT),
                    "clipstream.classifier.max-subscribers", "16");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TestHTTPResource("/classifications/stream")
    URL streamUrl;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** This profile starts its own application: its label-set store answers 503 until Kafka Streams runs. */
    @BeforeEach
    void awaitTheLabelSetStore() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (asOperator().get("/label-sets").statusCode() == 503 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        asOperator().get("/label-sets").then().statusCode(200);
    }

    @Test
    void labelSetBombsAreRefusedWith400NamingTheCap() {
        List<String> manyTemplates = IntStream.range(0, 101).mapToObj(i -> "photo " + i + " of a {}").toList();
        put(id("templates"), Map.of("labels", List.of("cat"), "templates", manyTemplates)).then().statusCode(400)
                .body("error", containsString("clipstream.classifier.max-templates"));
        List<String> thousand = IntStream.range(0, 1000).mapToObj(i -> "label " + i).toList();
        put(id("prompts"), Map.of("labels", thousand, "templates", List.of("a {}", "b {}", "c {}", "d {}", "e {}")))
                .then().statusCode(400).body("error", containsString("clipstream.classifier.max-prompts"))
                .body("error", containsString("has 5000"));
        put(id("own-prompts"), Map.of("labels", List.of(Map.of("name", "cat",
                "prompts", IntStream.range(0, 101).mapToObj(i -> "cat " + i).toList())))).then().statusCode(400)
                .body("error", containsString("max-templates"));

        // Label sets in all: whatever earlier tests left on the shared broker counts too.
        int existing = asOperator().get("/label-sets").then().statusCode(200).extract().jsonPath().getList("id").size();
        List<String> created = new ArrayList<>();
        for (int i = existing; i < MAX_LABEL_SETS; i++) {
            String id = id("set-" + i);
            put(id, Map.of("labels", List.of("cat", "dog"))).then().statusCode(201);
            created.add(id);
        }
        put(id("one-too-many"), Map.of("labels", List.of("cat"))).then().statusCode(400)
                .body("error", containsString("clipstream.classifier.max-label-sets"));
        if (!created.isEmpty()) {
            // Replacing an existing set is not a new one.
            put(created.getFirst(), Map.of("labels", List.of("cat", "bird"))).then().statusCode(200);
        }
        created.forEach(id -> asOperator().delete("/label-sets/" + id).then().statusCode(204));
    }

    @Test
    void ofTwoConcurrentConditionalUpdatesOfOneRevisionExactlyOneSucceedsAndTheOtherGets412() throws Exception {
        String id = id("conditional");
        put(id, Map.of("labels", List.of("cat", "dog"))).then().statusCode(201).header("ETag", "\"1\"");
        asOperator().get("/label-sets/" + id).then().statusCode(200).header("ETag", "\"1\"").body("revision", is(1));

        List<CompletableFuture<Response>> racing = new ArrayList<>();
        for (List<String> labels : List.of(List.of("cat", "dog", "bird"), List.of("cat", "dog", "fish"))) {
            racing.add(CompletableFuture.supplyAsync(() -> asOperator().contentType(ContentType.JSON)
                    .header("If-Match", "\"1\"").body(Map.of("labels", labels)).put("/label-sets/" + id)));
        }
        List<Response> answers = new ArrayList<>();
        for (CompletableFuture<Response> answer : racing) {
            answers.add(answer.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        List<Integer> statuses = answers.stream().map(Response::statusCode).sorted().toList();
        assertEquals(List.of(200, 412), statuses, "exactly one wins");
        Response won = answers.stream().filter(a -> a.statusCode() == 200).findFirst().orElseThrow();
        Response lost = answers.stream().filter(a -> a.statusCode() == 412).findFirst().orElseThrow();
        assertEquals("\"2\"", won.header("ETag"));
        assertTrue(lost.jsonPath().getString("error").contains("revision 2, not 1"), lost.asString());
        List<String> winner = won.jsonPath().getList("labels.name");
        asOperator().get("/label-sets/" + id).then().statusCode(200).body("revision", is(2))
                .body("labels.name", is(winner));

        put(id, Map.of("labels", List.of("cat")), "\"7\"").then().statusCode(412)
                .body("error", containsString("is at revision 2, not 7"));
        put(id, Map.of("labels", List.of("cat")), "yesterday").then().statusCode(400)
                .body("error", containsString("If-Match"));
        put(id("absent"), Map.of("labels", List.of("cat")), "*").then().statusCode(412)
                .body("error", containsString("no label set"));
        // Without If-Match a PUT stays unconditional, as the CLI sends it.
        put(id, Map.of("labels", List.of("cat", "dog"))).then().statusCode(200).body("revision", is(3));
        asOperator().header("If-Match", "\"2\"").delete("/label-sets/" + id).then().statusCode(412);
        asOperator().header("If-Match", "\"3\"").delete("/label-sets/" + id).then().statusCode(204);
    }

    @Test
    void moreLiveSubscribersThanAClientMayHaveAreAnswered429AndTheFeedIsPartOfReadiness() throws Exception {
        HealthContract.awaitReady(); // ready once its Kafka Streams instance ran with its tasks
        given().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("classification feed"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        List<CompletableFuture<HttpResponse<Stream<String>>>> open = new ArrayList<>();
        for (int i = 0; i < MAX_PER_CLIENT; i++) {
            open.add(http.sendAsync(sse(), HttpResponse.BodyHandlers.ofLines()));
        }
        awaitSubscribers(count -> count >= MAX_PER_CLIENT);

        // Lines, not the whole body: were it accepted, an event stream would never end.
        HttpResponse<Stream<String>> refused = http.send(sse(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(429, refused.statusCode(), "answered " + refused.statusCode());
        String body = refused.body().collect(java.util.stream.Collectors.joining("\n"));
        assertTrue(body.contains("max-subscribers-per-client"), body);
        assertTrue(body.startsWith("{\"error\""), body);

        // One ends: its slot is free again.
        HttpResponse<Stream<String>> first = open.getFirst().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        first.body().close();
        awaitSubscribers(count -> count < MAX_PER_CLIENT);
        CompletableFuture<HttpResponse<Stream<String>>> again = http.sendAsync(sse(), HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, again.get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode());
        for (CompletableFuture<HttpResponse<Stream<String>>> response : List.of(open.get(1), again)) {
            response.get(WAIT.toSeconds(), TimeUnit.SECONDS).body().close();
        }
        awaitSubscribers(count -> count == 0);
    }

    private HttpRequest sse() {
        return HttpRequest.newBuilder(URI.create(streamUrl + "?labelSet=" + run)).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + TestTokens.CLIENT).timeout(Duration.ofSeconds(30)).build();
    }

    private static Response put(String id, Object body) {
        return asOperator().contentType(ContentType.JSON).body(body).put("/label-sets/" + id);
    }

    private static Response put(String id, Object body, String ifMatch) {
        return asOperator().contentType(ContentType.JSON).header("If-Match", ifMatch).body(body).put("/label-sets/" + id);
    }

    private String id(String name) {
        return run + "-" + name;
    }

    /** Waits (bounded) until the service's subscriber gauge passes {@code test}. */
    private static void awaitSubscribers(java.util.function.IntPredicate test) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String metrics = given().get("/q/metrics").then().extract().asString();
            Matcher m = Pattern.compile("(?m)^clipstream_classifier_subscribers ([0-9.Ee+-]+)$").matcher(metrics);
            if (m.find() && test.test((int) Double.parseDouble(m.group(1)))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the subscriber count never got there");
    }
}
