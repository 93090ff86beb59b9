package io.clipstream.ingest;

import static io.clipstream.http.TestTokens.asClient;
import static io.clipstream.http.ErrorAnswersContract.assertJsonError;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.clipstream.broker.KafkaBrokerTestResource;
import io.clipstream.http.ErrorAnswersContract;
import io.clipstream.http.SecuredEndpointsContract;
import io.clipstream.model.image.TestImages;
import io.clipstream.schemas.Topics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Ingest's error answers and who may call it: the shared contracts, and uploads larger than a record of pairs.raw
 * may be.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerTestResource.class)
class IngestErrorAnswersTest implements ErrorAnswersContract, SecuredEndpointsContract {

    @Override
    public Optional<Endpoint> jsonEndpoint() {
        return Optional.of(new Endpoint("POST", "/pairs"));
    }

    @Override
    public Endpoint unservedMethod() {
        return new Endpoint("DELETE", "/pairs");
    }

    @Override
    public List<Guarded> guardedEndpoints() {
        return List.of(Guarded.client("POST", "/pairs").reading("application/json"),
                Guarded.client("POST", "/pairs/batch").reading("application/x-ndjson"));
    }

    /**
     * Kafka would refuse it for good (RecordTooLargeException): 413, never 503, which invites a retry. The image
     * alone is as large as a record may be (the was 50 MB; the edge is sharper and the test faster).
     */
    @Test
    void aMultipartUploadLargerThanATopicRecordAnswers413() {
        byte[] image = new byte[Topics.MAX_MESSAGE_BYTES];
        assertJsonError(asClient().multiPart("image", "huge.png", image, "image/png").multiPart("caption", "huge")
                .post("/pairs").then(), 413, Topics.PAIRS_RAW)
                .body("error", containsString(Integer.toString(Topics.MAX_MESSAGE_BYTES)));
    }

    /** Jackson caps a JSON string at 20 M characters: refused for good too, with the way that works. */
    @Test
    void aBatchWithOnePairTooLargeForJsonAnswers413NamingTheLine() {
        String small = "{\"image\": \"" + Base64.getEncoder().encodeToString(TestImages.png(64, 64, 1))
                + "\", \"caption\": \"small\"}";
        String large = "{\"image\": \"" + Base64.getEncoder().encodeToString(new byte[Topics.MAX_MESSAGE_BYTES])
                + "\", \"caption\": \"large\"}";
        assertJsonError(asClient().contentType("application/x-ndjson")
                .body((small + "\n" + large + "\n").getBytes(StandardCharsets.UTF_8)).post("/pairs/batch").then(),
                413, "line 2").body("error", containsString("multipart/form-data"));
    }

    @Test
    void aPairJustUnderTheRecordLimitIsAccepted() {
        byte[] nearlyFull = new byte[Topics.MAX_MESSAGE_BYTES - 4096];
        asClient().multiPart("image", "nearly-full.png", nearlyFull, "image/png").multiPart("caption", "nearly full")
                .post("/pairs").then().statusCode(202);
    }
}
