package io.clipstream.classifier;

import static io.clipstream.http.TestTokens.asOperator;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import io.clipstream.broker.KafkaTestClient;
import io.clipstream.broker.SecuredKafka;
import io.clipstream.broker.SecuredKafkaTestResource;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.serve.ServedModel;
import io.clipstream.model.store.ArtifactStore;
import io.clipstream.model.train.TinyClipTraining;
import io.clipstream.schemas.Classification;
import io.clipstream.schemas.ImageEmbedding;
import io.clipstream.schemas.ServiceAccess;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The classifier against a SASL_SSL broker with ACLs, logging in as its own principal: a label set written over HTTP
 * reaches the GlobalKTable, and an embedding written with the EMBEDDER's principal (as the embedder writes it) is
 * classified by Kafka Streams.
 */
@QuarkusTest
@TestProfile(ClassifierSecuredKafkaTest.AsClassifier.class)
class ClassifierSecuredKafkaTest {

    public static class AsClassifier implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(
                    new TestResourceEntry(SecuredKafkaTestResource.class, Map.of("user", ServiceAccess.CLASSIFIER)),
                    new TestResourceEntry(TrainedStoreTestResource.class));
        }
    }

    @ConfigProperty(name = "clipstream.model.store")
    String storeLocation;

    @Test
    void anEmbeddingFromTheEmbeddersPrincipalIsClassifiedOverSaslSsl() throws Exception {
        given().get("/q/health/ready").then().body("checks.name", hasItem("Kafka access"))
                .body("checks.find { it.name == 'Kafka access' }.status", is("UP"));
        String run = UUID.randomUUID().toString().substring(0, 8);
        String setId = "secured-pets-" + run;
        asOperator().contentType(ContentType.JSON).body(Map.of("labels", List.of("cat", "dog"), "topK", 1))
                .put("/label-sets/" + setId).then().statusCode(201);
        asOperator().get("/label-sets/" + setId).then().statusCode(200).body("revision", is(1));

        String cat = run + "-cat";
        AvroSerde<ImageEmbedding> embeddings = AvroSerde.of(ImageEmbedding.class);
        try (ServedModel trained = TinyCheckpoints.resolver(ArtifactStore.open(storeLocation))
                        .loadVersion(TinyClipTraining.VERSION);
                NDManager scope = Engines.newManager();
                KafkaTestClient embedder = new KafkaTestClient(SecuredKafka.shared().clientSettings(ServiceAccess.EMBEDDER));
                KafkaTestClient admin = new KafkaTestClient(SecuredKafka.shared().adminSettings())) {
            List<Float> vector = new ArrayList<>();
            for (float v : trained.embedImages(scope, List.of(TinyClipTraining.picture("cat", new Random(7))))
                    .toFloatArray()) {
                vector.add(v);
            }
            Instant now = Instant.now();
            embedder.send(Topics.EMBEDDINGS, cat, embeddings.encode(ImageEmbedding.newBuilder().setImageId(cat)
                    .setModelVersion(trained.version()).setVector(vector).setEventTime(now).setEmbeddedTime(now)
                    .setAttributes(Map.of()).build()));

            List<ConsumerRecord<String, Classification>> out = admin.readUntil(Topics.CLASSIFICATIONS,
                    AvroSerde.of(Classification.class),
                    read -> read.stream().anyMatch(r -> r.key().equals(cat) && r.value().getLabelSetId().equals(setId)),
                    Duration.ofSeconds(90));
            Classification mine = out.stream().map(ConsumerRecord::value)
                    .filter(c -> c.getImageId().equals(cat) && c.getLabelSetId().equals(setId)).findFirst()
                    .orElseThrow(() -> new AssertionError("no classification of " + cat + " for " + setId));
            assertEquals("cat", mine.getLabels().get(0).getLabel());
        }
    }
}
