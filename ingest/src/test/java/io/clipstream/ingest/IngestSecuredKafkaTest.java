package io.clipstream.ingest;

import static io.clipstream.http.TestTokens.asOperator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.clipstream.broker.KafkaTestClient;
import io.clipstream.broker.SecuredKafka;
import io.clipstream.broker.SecuredKafkaTestResource;
import io.clipstream.http.HealthContract;
import io.clipstream.model.image.TestImages;
import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.ServiceAccess;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Ingest against a SASL_SSL broker with ACLs, logging in as its own principal: uploads and the stream both work. */
@QuarkusTest
@TestProfile(IngestSecuredKafkaTest.AsIngest.class)
class IngestSecuredKafkaTest {

    public static class AsIngest implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SecuredKafkaTestResource.class, Map.of("user", ServiceAccess.INGEST)));
        }
    }

    @Test
    void aPairUploadedOverHttpIsNormalisedOverSaslSsl() throws Exception {
        HealthContract.awaitReady(); // ready once its Kafka Streams instance ran with its tasks
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                .body("checks.name", hasItem("Kafka access"));
        String pairId = "secured-" + UUID.randomUUID();
        String image = Base64.getEncoder().encodeToString(TestImages.jpeg(320, 240, 5));
        asOperator().contentType(ContentType.JSON).body(Map.of("pairId", pairId, "image", image, "caption", "a secured cat"))
                .post("/pairs").then().statusCode(202).body("pairIds[0]", is(pairId));

        AvroSerde<NormalizedPair> normalized = AvroSerde.of(NormalizedPair.class);
        try (KafkaTestClient admin = new KafkaTestClient(SecuredKafka.shared().adminSettings())) {
            List<ConsumerRecord<String, byte[]>> read = admin.readBytesUntil(Topics.PAIRS_NORMALIZED,
                    records -> records.stream().anyMatch(r -> r.key().equals(pairId)), Duration.ofSeconds(60));
            ConsumerRecord<String, byte[]> mine = read.stream().filter(r -> r.key().equals(pairId)).findFirst()
                    .orElseThrow(() -> new AssertionError("pair " + pairId + " not on " + Topics.PAIRS_NORMALIZED));
            assertEquals("a secured cat", normalized.decode(mine.value()).getCaption());
        }
    }
}
