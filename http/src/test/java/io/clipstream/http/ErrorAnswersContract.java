package io.clipstream.http;

import static io.clipstream.http.TestTokens.asOperator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quarkus.runtime.configuration.MemorySize;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.response.ValidatableResponse;
import java.math.BigInteger;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Every error answer of a service says what was wrong as {@code {"error": "..."}}, including the answers the
 * framework gives by itself (unknown path or method, wrong Content-Type, malformed JSON, a body over
 * {@code quarkus.http.limits.max-body-size}), for a caller with an operator token. A {@code @QuarkusTest} of the
 * service implements this.
 */
public interface ErrorAnswersContract {

    /** A request line of the service: method and path. */
    record Endpoint(String method, String path) {
    }

    /** An endpoint of the service that reads a JSON body, if it has one. */
    Optional<Endpoint> jsonEndpoint();

    /** A path the service serves, and a method it does not serve there. */
    Endpoint unservedMethod();

    /** An endpoint that takes a body (for the body-size limit): the JSON one by default. */
    default Endpoint bodyEndpoint() {
        return jsonEndpoint().orElse(unservedMethod());
    }

    static ValidatableResponse assertJsonError(ValidatableResponse response, int status, String mentioned) {
        return response.log().ifValidationFails().statusCode(status).contentType("application/json")
                .body("error", not(emptyOrNullString()))
                .body("error", containsString(mentioned));
    }

    @Test
    default void unknownPathAnswers404WithJson() {
        assertJsonError(given().get("/no-such-path/here").then(), 404, "/no-such-path/here");
        assertJsonError(given().post("/no-such-path").then(), 404, "/no-such-path");
    }

    @Test
    default void unservedMethodAnswers405WithJson() {
        Endpoint endpoint = unservedMethod();
        assertJsonError(asOperator().request(endpoint.method(), endpoint.path()).then(), 405, endpoint.method());
    }

    @Test
    default void unsupportedContentTypeAnswers415WithJson() {
        assumeTrue(jsonEndpoint().isPresent(), "this service reads no request bodies");
        Endpoint endpoint = jsonEndpoint().orElseThrow();
        assertJsonError(asOperator().contentType("text/csv").body("a,b\n1,2\n").request(endpoint.method(), endpoint.path())
                .then(), 415, "text/csv");
    }

    @Test
    default void malformedJsonAnswers400WithJson() {
        assumeTrue(jsonEndpoint().isPresent(), "this service reads no request bodies");
        Endpoint endpoint = jsonEndpoint().orElseThrow();
        assertJsonError(asOperator().contentType("application/json").body("{\"not\": json")
                .request(endpoint.method(), endpoint.path()).then(), 400, "JSON");
    }

    @Test
    default void bodyOverTheLimitAnswers413WithJson() {
        long limit = ConfigProvider.getConfig().getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .map(MemorySize::asBigInteger).map(BigInteger::longValueExact).orElse(10240L * 1024);
        Endpoint endpoint = bodyEndpoint();
        byte[] body = new byte[Math.toIntExact(limit + 1)];
        // Expect: 100-continue (as curl sends for large bodies): the answer comes before the body is sent, so the
        // connection the service closes after it is not closed under a client still writing.
        RestAssuredConfig expectContinue = RestAssuredConfig.config().httpClient(HttpClientConfig.httpClientConfig()
                .setParam("http.protocol.expect-continue", true));
        assertJsonError(asOperator().config(expectContinue).contentType("application/json").body(body)
                .request(endpoint.method(), endpoint.path()).then(), 413, "max-body-size");
    }
}
