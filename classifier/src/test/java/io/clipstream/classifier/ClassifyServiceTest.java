package io.clipstream.classifier;

import static io.clipstream.http.ErrorAnswersContract.assertJsonError;
import static io.clipstream.http.TestTokens.asClient;
import static io.clipstream.http.TestTokens.asOperator;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.KafkaBrokerTestResource;
import io.clipstream.model.image.ImageWriter;
import io.clipstream.model.train.TinyClipTraining;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /classify}: an uploaded picture classified on request by the tiny CLIP trained on cats and dogs, with
 * typed labels or a stored label set, as raw bytes or multipart; bad requests answered {@code {"error": ...}}. The
 * same test resources as {@link ClassifierServiceTest}, so both share one application.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
@QuarkusTestResource(TrainedStoreTestResource.class)
class ClassifyServiceTest {

    private static final String VERSION = TinyClipTraining.VERSION;

    private final Random random = new Random(5);

    private byte[] picture(String cls) {
        return ImageWriter.toPng(TinyClipTraining.picture(cls, random));
    }

    @Test
    void typedLabelsOnARawImageAnswerTheTopLabelsOfTheNamedVersion() {
        JsonPath answer = asClient().contentType("image/png").body(picture("dog"))
                .queryParam("labels", "cat, dog").queryParam("template", "a photo of a {}.")
                .queryParam("version", VERSION)
                .post("/classify").then().statusCode(200).extract().jsonPath();
        assertEquals(VERSION, answer.getString("modelVersion"));
        assertEquals(false, answer.getBoolean("rolledOut"), "no rollout in this test: the version was named");
        assertEquals("dog", answer.getString("labels[0].label"));
        List<Float> probabilities = answer.getList("labels.probability", Float.class);
        assertEquals(2, probabilities.size());
        assertEquals(1.0, probabilities.get(0) + probabilities.get(1), 1e-4);
        assertTrue(probabilities.get(0) > probabilities.get(1), probabilities.toString());
        assertEquals(TinyClipTraining.picture("cat", new Random(1)).width(), answer.getInt("width"));
    }

    @Test
    void aStoredLabelSetOnAMultipartUploadAnswersWithItsRevision() {
        asOperator().contentType(ContentType.JSON).body(Map.of("labels", List.of("cat", "dog"), "topK", 1))
                .put("/label-sets/classify-pets").then().statusCode(org.hamcrest.Matchers.anyOf(is(200), is(201)));
        asClient().multiPart("image", "cat.png", picture("cat"), "image/png").multiPart("labelSet", "classify-pets")
                .multiPart("version", VERSION)
                .post("/classify").then().statusCode(200)
                .body("modelVersion", is(VERSION)).body("labelSetId", is("classify-pets"))
                .body("labels.size()", is(1)).body("labels[0].label", is("cat"));
    }

    @Test
    void withoutARolloutNoVersionAnswersAndTheAnswerSaysHowToRollOne() {
        assertJsonError(asClient().contentType("image/png").body(picture("cat")).queryParam("labels", "cat,dog")
                .post("/classify").then(), 503, "no model version is rolled out");
    }

    @Test
    void theModelEndpointSaysWhatIsRolledOutAndLoaded() {
        asClient().contentType("image/png").body(picture("cat")).queryParam("labels", "cat,dog")
                .queryParam("version", VERSION).post("/classify").then().statusCode(200);
        asClient().get("/model").then().statusCode(200).body("rolledOutVersion", nullValue())
                .body("precision", is("fp32"))
                .body("loadedVersions", org.hamcrest.Matchers.hasItem(VERSION))
                .body("howToRollOut", org.hamcrest.Matchers.containsString("clipstream.model.checkpoint"));
    }

    @Test
    void badRequestsAreAnsweredWithJsonErrors() {
        assertJsonError(asClient().contentType("image/png").body(new byte[] {1, 2, 3, 4}).queryParam("labels", "cat")
                .queryParam("version", VERSION).post("/classify").then(), 400, "cannot be classified");
        assertJsonError(asClient().contentType("image/png").body(picture("cat")).queryParam("version", VERSION)
                .post("/classify").then(), 400, "one of the two");
        assertJsonError(asClient().contentType("image/png").body(picture("cat")).queryParam("labelSet", "absent-set")
                .queryParam("version", VERSION).post("/classify").then(), 404, "no label set 'absent-set'");
        assertJsonError(asClient().contentType("image/png").body(picture("cat")).queryParam("labels", "cat,dog")
                .queryParam("topK", "many").queryParam("version", VERSION).post("/classify").then(), 400, "topK");
        assertJsonError(asClient().contentType("image/png").body(picture("cat")).queryParam("labels", "cat,dog")
                .queryParam("version", "no-such-version").post("/classify").then(), 400, "no-such-version");
        assertJsonError(asClient().multiPart("labels", "cat").post("/classify").then(), 400, "\"image\"");
        asClient().contentType("image/png").body(picture("cat")).queryParam("labels", "cat,dog")
                .queryParam("version", VERSION).post("/classify").then().statusCode(200)
                .body("labelSetId", nullValue());
    }
}
