package io.clipstream.embedder;

import static io.clipstream.http.TestTokens.asOperator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.broker.KafkaBrokerTestResource;
import io.clipstream.http.HealthContract;
import io.clipstream.model.image.TestImages;
import io.clipstream.schemas.GroupJoined;
import io.clipstream.schemas.ImageEmbedding;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Without a checkpoint the embedder is up but not ready, and reads nothing; rolling one out starts it. Then it
 * passes the health contract of every service (after this class's own test, which needs the embedder unready).
 */
@QuarkusTest
@TestProfile(EmbedderProfiles.NoCheckpoint.class)
@QuarkusTestResource(KafkaBrokerTestResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbedderHealthTest implements HealthContract {

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    /** Members of the embedder's consumer group; none when the group was never used. */
    private static Collection<MemberDescription> embedderGroupMembers() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                EmbeddedKafka.shared().bootstrapServers()))) {
            return admin.describeConsumerGroups(List.of("clipstream-embedder")).all().get(30, TimeUnit.SECONDS)
                    .get("clipstream-embedder").members();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return List.of();
            }
            throw e;
        }
    }

    @Override
    public List<String> readinessChecks() {
        return List.of("Kafka connection health check", "Embedding model", GroupJoined.CHECK_NAME);
    }

    /** Rolls out checkpoint "2" (as this class's own test does) and waits until the embedder is ready. */
    @Override
    public void becomeReady() throws Exception {
        Path rolloutFile = ConfigProvider.getConfig().getValue("clipstream.model.checkpoint-file", Path.class);
        TestCheckpoints.writeRollout(rolloutFile, "2");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (given().get("/q/health/ready").statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    @Test
    @Order(1)
    void notReadyWithoutACheckpointRecordsWaitAndFlowOnceOneIsRolledOut() throws Exception {
        given().get("/q/health/ready").then().statusCode(503).body("status", is("DOWN"))
                .body("checks.find { it.name == 'Embedding model' }.status", is("DOWN"))
                .body("checks.find { it.name == 'Embedding model' }.data.status",
                        containsString("no checkpoint configured"))
                .body("checks.find { it.name == 'Kafka connection health check' }.status", is("UP"))
                .body("checks.find { it.name == 'Kafka group' }.status", is("DOWN"));
        given().get("/q/health/live").then().statusCode(200)
                .body("checks.find { it.name == 'Image stream' }.data.state", is("WAITING_FOR_MODEL"));
        asOperator().contentType(ContentType.JSON).body(List.of("a cat")).post("/embed/texts").then().statusCode(503)
                .body("error", containsString("no checkpoint configured"));
        asOperator().contentType("image/png").body(TestImages.png(64, 64, 1)).post("/embed/images").then().statusCode(503)
                .body("error", containsString("CLIPSTREAM_MODEL_CHECKPOINT"));
        asOperator().post("/model/reload").then().statusCode(503).body("error", containsString("no checkpoint configured"));

        String waiting = run + "-waiting";
        try (ImagesTopic images = new ImagesTopic()) {
            images.send(null, waiting, TestImages.jpeg(160, 120, 3));
        }
        assertTrue(embedderGroupMembers().isEmpty(), "no consumer reads clipstream.images without a model");

        becomeReady();
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                .body("checks.find { it.name == 'Embedding model' }.data.activeVersion", is("2"))
                .body("checks.name", hasItem("Kafka connection health check"))
                .body("checks.find { it.name == 'Kafka group' }.status", is("UP"));

        ImageEmbedding embedding = ImagesTopic.embeddings(r -> r.stream().anyMatch(x -> x.key().equals(waiting)))
                .stream().filter(r -> r.key().equals(waiting)).findFirst().orElseThrow().value();
        assertEquals("2", embedding.getModelVersion(), "the record waited for the model");
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"))
                .body(containsString("clipstream_embedder_model_active{version=\"2\"} 1.0"));
    }
}
