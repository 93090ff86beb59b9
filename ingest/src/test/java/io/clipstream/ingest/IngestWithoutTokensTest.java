package io.clipstream.ingest;

import static io.clipstream.http.ErrorAnswersContract.assertJsonError;
import static io.clipstream.http.TestTokens.asOperator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;

import io.clipstream.broker.KafkaBrokerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secure by default: a service that knows no token refuses protected requests and says how to configure them. */
@QuarkusTest
@TestProfile(IngestWithoutTokensTest.NoTokens.class)
@QuarkusTestResource(KafkaBrokerTestResource.class)
class IngestWithoutTokensTest {

    public static final class NoTokens implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("clipstream.auth.tokens-file", "");
        }
    }

    @Test
    void refusesUploadsWith401SayingHowToConfigureTokens() {
        assertJsonError(given().contentType("application/json").body("{}").post("/pairs").then(), 401,
                "clipstream.auth.tokens-file");
        assertJsonError(asOperator().contentType("application/json").body("{}").post("/pairs").then(), 401,
                "CLIPSTREAM_AUTH_OPERATOR_TOKEN");
        // Open without a token; liveness may still be DOWN (503) while the Streams thread starts (seen in CI).
        given().get("/q/health/live").then().statusCode(anyOf(is(200), is(503)));
    }
}
