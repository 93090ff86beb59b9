package io.clipstream.search;

import static io.clipstream.http.ErrorAnswersContract.assertJsonError;
import static io.clipstream.http.TestTokens.asClient;
import static io.clipstream.http.TestTokens.asOperator;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.KafkaBrokerTestResource;
import io.clipstream.http.ErrorAnswersContract;
import io.clipstream.http.HealthContract;
import io.clipstream.http.SecuredEndpointsContract;
import io.clipstream.model.image.ImageWriter;
import io.clipstream.model.image.RgbImage;
import io.clipstream.model.train.TinyClipTraining;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Search as deployed: the real broker, the real Lucene index, the HTTP API, the cat/dog CLIP rolled out. Embeddings
 * of fresh cat and dog pictures go onto clipstream.embeddings; the running service finds them by text and by image.
 * Also the contracts every service keeps (health, error answers, who may call what).
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(TrainedStoreTestResource.class)
class SearchServiceTest implements HealthContract, ErrorAnswersContract, SecuredEndpointsContract {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int PER_CLASS = 6;

    @ConfigProperty(name = "clipstream.model.store")
    String storeLocation;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Override
    public List<String> readinessChecks() {
        return List.of("Kafka connection health check", "Search index", "Kafka access");
    }

    @Override
    public Optional<Endpoint> jsonEndpoint() {
        return Optional.empty();
    }

    @Override
    public Endpoint unservedMethod() {
        return new Endpoint("DELETE", "/search");
    }

    @Override
    public Endpoint bodyEndpoint() {
        return new Endpoint("POST", "/search/image");
    }

    @Override
    public List<Guarded> guardedEndpoints() {
        return List.of(Guarded.client("GET", "/search?text=a+photo+of+a+cat."), Guarded.client("GET", "/search/versions"),
                Guarded.client("POST", "/search/image").reading("image/png"));
    }

    /** Publishes PER_CLASS cats and dogs of this run and waits until all are searchable. */
    private void publishPictures() throws Exception {
        RunPictures.publish(storeLocation, run, PER_CLASS);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (results(asClient().queryParam("text", "a photo of a cat.").queryParam("k", 100)
                .queryParam("filter", "run:" + run).get("/search").then().statusCode(200).extract().jsonPath()).size()
                < 2 * PER_CLASS) {
            assertTrue(System.nanoTime() < deadline, "the run's embeddings were not all indexed in time");
            Thread.sleep(100);
        }
    }

    private static List<String> results(JsonPath answer) {
        return answer.getList("results.imageId", String.class);
    }

    @Test
    void findsPublishedPicturesByTextAndByImage() throws Exception {
        publishPictures();
        for (String cls : TinyClipTraining.CLASSES) {
            JsonPath answer = asClient().queryParam("text", TinyClipTraining.TEMPLATE.replace("{}", cls))
                    .queryParam("k", 3).queryParam("filter", "run:" + run).get("/search").then().statusCode(200)
                    .extract().jsonPath();
            assertEquals(TinyClipTraining.VERSION, answer.getString("modelVersion"), "the serving version answered");
            assertEquals(3, answer.getInt("k"));
            List<String> ids = results(answer);
            assertEquals(3, ids.size(), answer.prettify());
            assertTrue(ids.stream().allMatch(id -> id.contains("-" + cls + "-")), cls + ": " + answer.prettify());
            List<Float> scores = answer.getList("results.score", Float.class);
            assertTrue(scores.get(0) >= scores.get(1) && scores.get(1) >= scores.get(2), "best first");
            assertEquals(cls, answer.getString("results[0].attributes.class"));
        }

        // Image -> image: a fresh picture, encoded as a PNG, as a client would send it.
        Random random = new Random(7);
        for (String cls : TinyClipTraining.CLASSES) {
            RgbImage picture = TinyClipTraining.picture(cls, random);
            JsonPath answer = asClient().contentType("image/png").body(ImageWriter.toPng(picture))
                    .queryParam("k", 3).queryParam("filter", "run:" + run).queryParam("version", TinyClipTraining.VERSION)
                    .post("/search/image").then().statusCode(200).extract().jsonPath();
            assertEquals(TinyClipTraining.VERSION, answer.getString("modelVersion"));
            assertTrue(results(answer).stream().allMatch(id -> id.contains("-" + cls + "-")),
                    cls + ": " + answer.prettify());
        }

        // Filters narrow the candidates before the nearest are taken.
        JsonPath dogsOnly = asClient().queryParam("text", "a photo of a cat.").queryParam("k", 100)
                .queryParam("filter", "run:" + run).queryParam("filter", "class:dog").get("/search").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(PER_CLASS, results(dogsOnly).size());

        JsonPath versions = asClient().get("/search/versions").then().statusCode(200).extract().jsonPath();
        assertEquals(TinyClipTraining.VERSION, versions.getString("servingVersion"));
        assertTrue(versions.getList("versions.version", String.class).contains(TinyClipTraining.VERSION));

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("clipstream_search_indexed_total{version=\"" + TinyClipTraining.VERSION + "\"}"),
                metrics);
        assertTrue(metrics.contains("clipstream_search_query_seconds_count{kind=\"text\""), metrics);
    }

    @Test
    void badQueriesAreAnsweredWithAnError() {
        assertJsonError(asClient().get("/search").then(), 400, "say what to find");
        assertJsonError(asClient().queryParam("text", " ").get("/search").then(), 400, "empty");
        assertJsonError(asClient().queryParam("text", "x".repeat(1001)).get("/search").then(), 400, "1001 characters");
        assertJsonError(asClient().queryParam("text", "cat").queryParam("k", 0).get("/search").then(), 400, "k must");
        assertJsonError(asClient().queryParam("text", "cat").queryParam("k", 101).get("/search").then(), 400, "k must");
        assertJsonError(asClient().queryParam("text", "cat").queryParam("k", "ten").get("/search").then(), 400,
                "whole number");
        assertJsonError(asClient().queryParam("text", "cat").queryParam("filter", "nocolon").get("/search").then(), 400,
                "name:value");
        assertJsonError(asClient().queryParam("text", "cat").queryParam("version", "no-such-version").get("/search")
                .then(), 404, "no-such-version");
        assertJsonError(asOperator().contentType("image/png").body("not a png".getBytes()).post("/search/image").then(),
                400, "cannot be read");
        assertJsonError(asOperator().contentType("image/png").body(new byte[0]).post("/search/image").then(), 400,
                "empty");
        assertJsonError(asOperator().contentType("text/plain").body("cat").post("/search/image").then(), 415,
                "image/*");
    }
}
