package io.clipstream.ingest;

import static io.clipstream.http.ErrorAnswersContract.assertJsonError;
import static io.clipstream.http.TestTokens.asClient;
import static io.restassured.RestAssured.given;

import io.clipstream.broker.KafkaBrokerTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.build.Jwt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * JWTs of an identity provider, by configuration alone (a verification key; no network): roles from {@code groups},
 * beside the configured tokens. The profile makes the provider's key pair, under {@code target/}.
 */
@QuarkusTest
@TestProfile(IngestJwtTest.WithJwt.class)
@QuarkusTestResource(KafkaBrokerTestResource.class)
class IngestJwtTest {

    static final String ISSUER = "https://idp.example/clipstream";

    static final Path KEYS = Path.of("target", "jwt-test");

    public static final class WithJwt implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                Files.createDirectories(KEYS);
                Files.writeString(KEYS.resolve("public.pem"), "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder().encodeToString(pair.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n");
                Files.write(KEYS.resolve("private.pk8"), pair.getPrivate().getEncoded());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return Map.of("clipstream.auth.jwt.enabled", "true",
                    "mp.jwt.verify.publickey.location", KEYS.resolve("public.pem").toAbsolutePath().toString(),
                    "mp.jwt.verify.issuer", ISSUER);
        }
    }

    @Test
    void aSignedJwtWithTheRoleMayUploadAndAForgedOneMayNot() throws Exception {
        String client = Jwt.issuer(ISSUER).upn("alice").groups(Set.of("client")).sign(privateKey());
        // A body ingest refuses (400): past authentication and authorization, nothing is published.
        given().auth().oauth2(client).contentType("application/json").body("{}").post("/pairs").then()
                .log().ifValidationFails().statusCode(400);
        String nobody = Jwt.issuer(ISSUER).upn("bob").groups(Set.of("guest")).sign(privateKey());
        assertJsonError(given().auth().oauth2(nobody).contentType("application/json").body("{}").post("/pairs")
                .then(), 403, "needs the role client");
        String otherIssuer = Jwt.issuer("https://elsewhere").upn("eve").groups(Set.of("client"))
                .sign(privateKey());
        assertJsonError(given().auth().oauth2(otherIssuer).contentType("application/json").body("{}").post("/pairs")
                .then(), 401, "");
        String[] parts = client.split("\\.");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"iss\":\"https://idp.example/clipstream\",\"groups\":[\"operator\"]}".getBytes()) + "." + parts[2];
        assertJsonError(given().auth().oauth2(tampered).contentType("application/json").body("{}").post("/pairs")
                .then(), 401, "");
        // The configured tokens work as before.
        asClient().contentType("application/json").body("{}").post("/pairs").then().statusCode(400);
    }

    private static PrivateKey privateKey() throws Exception {
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                Files.readAllBytes(KEYS.resolve("private.pk8"))));
    }
}
