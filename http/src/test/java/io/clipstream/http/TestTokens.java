package io.clipstream.http;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/**
 * The bearer tokens of every service's test profile: each service's {@code src/test/resources/test-tokens.txt} holds
 * their SHA-256 ({@code %test.clipstream.auth.tokens-file}).
 */
public final class TestTokens {

    public static final String OPERATOR = "test-operator-token";
    public static final String CLIENT = "test-client-token";

    private TestTokens() {
    }

    public static RequestSpecification asOperator() {
        return given().auth().oauth2(OPERATOR);
    }

    public static RequestSpecification asClient() {
        return given().auth().oauth2(CLIENT);
    }
}
