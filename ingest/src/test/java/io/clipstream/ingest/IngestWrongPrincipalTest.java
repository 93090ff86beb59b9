package io.clipstream.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.clipstream.broker.SecuredKafkaTestResource;
import io.clipstream.schemas.ServiceAccess;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ingest deployed with the trainer's Kafka credentials: not ready, and readiness says which ACLs it lacks. */
@QuarkusTest
@TestProfile(IngestWrongPrincipalTest.AsTrainer.class)
class IngestWrongPrincipalTest {

    public static class AsTrainer implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SecuredKafkaTestResource.class, Map.of("user", ServiceAccess.TRAINER)));
        }
    }

    @Test
    void readinessNamesTheTopicsThePrincipalMayNotUse() {
        given().get("/q/health/ready").then().statusCode(503).body("status", is("DOWN"))
                .body("checks.find { it.name == 'Kafka access' }.status", is("DOWN"))
                .body("checks.find { it.name == 'Kafka access' }.data.problems",
                        containsString("clipstream-ingest may not READ or WRITE topic clipstream.pairs.raw"));
    }
}
