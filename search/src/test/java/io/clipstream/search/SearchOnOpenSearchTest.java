package io.clipstream.search;

import static io.clipstream.http.TestTokens.asClient;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.KafkaBrokerTestResource;
import io.clipstream.model.train.TinyClipTraining;
import io.clipstream.search.index.OpenSearchIndex;
import io.clipstream.search.index.VectorStore;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Search as deployed with {@code clipstream.search.backend=opensearch}: the real broker, a real OpenSearch node
 * ({@link OpenSearchNodeTestResource}), the HTTP API, the cat/dog CLIP rolled out. Embeddings of fresh cat and dog
 * pictures go onto clipstream.embeddings; the running service finds them by text through OpenSearch's k-NN query.
 */
@QuarkusTest
@TestProfile(SearchOnOpenSearchTest.OnOpenSearch.class)
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(TrainedStoreTestResource.class)
class SearchOnOpenSearchTest {

    /** OpenSearch for this class only (on the node the JVM's tests share): the other tests keep Lucene. */
    public static class OnOpenSearch implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OpenSearchNodeTestResource.class));
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int PER_CLASS = 4;

    @ConfigProperty(name = "clipstream.model.store")
    String storeLocation;

    @Inject
    VectorStore index;

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private static List<String> results(JsonPath answer) {
        return answer.getList("results.imageId", String.class);
    }

    @Test
    void findsPublishedPicturesByTextThroughOpenSearch() throws Exception {
        assertTrue(index instanceof OpenSearchIndex, "clipstream.search.backend=opensearch chose " + index);
        RunPictures.publish(storeLocation, run, PER_CLASS);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            var response = asClient().queryParam("text", "a photo of a cat.").queryParam("k", 100)
                    .queryParam("filter", "run:" + run).get("/search");
            if (response.statusCode() == 200 && results(response.jsonPath()).size() == 2 * PER_CLASS) {
                break;
            }
            assertTrue(System.nanoTime() < deadline, "the run's embeddings were not all searchable in time: "
                    + response.asString());
            Thread.sleep(200);
        }

        for (String cls : TinyClipTraining.CLASSES) {
            JsonPath answer = asClient().queryParam("text", TinyClipTraining.TEMPLATE.replace("{}", cls))
                    .queryParam("k", 3).queryParam("filter", "run:" + run).get("/search").then().statusCode(200)
                    .extract().jsonPath();
            assertEquals(TinyClipTraining.VERSION, answer.getString("modelVersion"));
            List<String> ids = results(answer);
            assertEquals(3, ids.size(), answer.prettify());
            assertTrue(ids.stream().allMatch(id -> id.contains("-" + cls + "-")), cls + ": " + answer.prettify());
            List<Float> scores = answer.getList("results.score", Float.class);
            assertTrue(scores.get(0) >= scores.get(1) && scores.get(1) >= scores.get(2), "best first");
            assertTrue(scores.get(0) > -1 && scores.get(0) <= 1, "a cosine: " + scores);
            assertEquals(cls, answer.getString("results[0].attributes.class"));
        }

        JsonPath dogsOnly = asClient().queryParam("text", "a photo of a cat.").queryParam("k", 100)
                .queryParam("filter", "run:" + run).queryParam("filter", "class:dog").get("/search").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(PER_CLASS, results(dogsOnly).size());

        JsonPath versions = asClient().get("/search/versions").then().statusCode(200).extract().jsonPath();
        assertTrue(versions.getList("versions.version", String.class).contains(TinyClipTraining.VERSION),
                versions.prettify());
        assertTrue(versions.getLong("documents") >= 2 * PER_CLASS, versions.prettify());

        JsonPath ready = given().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        assertEquals("UP", ready.getString("checks.find { it.name == 'Search index' }.status"), ready.prettify());
    }
}
