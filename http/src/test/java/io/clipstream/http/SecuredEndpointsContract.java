package io.clipstream.http;

import static io.clipstream.http.ErrorAnswersContract.assertJsonError;
import static io.clipstream.http.TestTokens.asClient;
import static io.clipstream.http.TestTokens.asOperator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import io.restassured.specification.RequestSpecification;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Who may call what: every protected endpoint answers 401 without a known bearer token and 403 to a client token
 * where it needs an operator, both as {@code {"error": "..."}}; health and metrics need no token. A
 * {@code @QuarkusTest} of the service implements this; the service's own tests show the allowed calls succeed.
 */
public interface SecuredEndpointsContract {

    /** A protected request line, the role it needs, and the Content-Type it reads (null: none). */
    record Guarded(String method, String path, String role, String contentType) {

        public static Guarded operator(String method, String path) {
            return new Guarded(method, path, "operator", null);
        }

        public static Guarded client(String method, String path) {
            return new Guarded(method, path, "client", null);
        }

        public Guarded reading(String type) {
            return new Guarded(method, path, role, type);
        }

        RequestSpecification prepare(RequestSpecification request) {
            return contentType == null ? request : request.contentType(contentType).body(new byte[0]);
        }
    }

    /** Every protected endpoint of the service. */
    List<Guarded> guardedEndpoints();

    /** Client endpoints that answer quickly and change nothing, called with client and operator tokens. */
    default List<Guarded> clientReads() {
        return guardedEndpoints().stream().filter(g -> g.role().equals("client") && g.method().equals("GET")).toList();
    }

    @Test
    default void withoutTokenAnswers401WithJson() {
        for (Guarded guarded : guardedEndpoints()) {
            assertJsonError(guarded.prepare(given()).request(guarded.method(), guarded.path()).then(), 401,
                    "Authorization: Bearer").header("WWW-Authenticate", is("Bearer"));
        }
    }

    @Test
    default void unknownTokenAnswers401WithJson() {
        for (Guarded guarded : guardedEndpoints()) {
            assertJsonError(guarded.prepare(given().auth().oauth2("not-" + TestTokens.OPERATOR))
                    .request(guarded.method(), guarded.path()).then(), 401, "not one this service knows");
            assertJsonError(guarded.prepare(given().auth().preemptive().basic("operator", TestTokens.OPERATOR))
                    .request(guarded.method(), guarded.path()).then(), 401, "not a bearer token");
        }
    }

    @Test
    default void clientTokenOnOperatorEndpointAnswers403WithJson() {
        for (Guarded guarded : guardedEndpoints()) {
            if (guarded.role().equals("operator")) {
                assertJsonError(guarded.prepare(asClient()).request(guarded.method(), guarded.path()).then(), 403,
                        "needs the role operator");
            }
        }
    }

    @Test
    default void clientAndOperatorMayRead() {
        for (Guarded guarded : clientReads()) {
            asClient().request(guarded.method(), guarded.path()).then().log().ifValidationFails().statusCode(200);
            asOperator().request(guarded.method(), guarded.path()).then().log().ifValidationFails().statusCode(200);
        }
    }

    @Test
    default void healthAndMetricsNeedNoToken() {
        // Health may be DOWN (503) while the service waits for a model or its Kafka Streams thread starts:
        // never refused, though.
        given().get("/q/health/live").then().statusCode(anyOf(is(200), is(503)));
        given().get("/q/health/ready").then().statusCode(anyOf(is(200), is(503)));
        given().get("/q/health").then().statusCode(not(anyOf(is(401), is(403))));
        given().get("/q/metrics").then().statusCode(200);
    }
}
