package io.clipstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.Topics.TopicSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class KafkaTopicManifestsTest {

    private static final Path TOPICS = K8sTree.dir().resolve(KafkaTopicManifests.FILE);

    /** The committed file and the catalog never drift apart. */
    @Test
    void committedFileIsWhatTheCatalogGives() throws IOException {
        assertEquals(KafkaTopicManifests.render(Topics.all()), Files.readString(TOPICS),
                TOPICS + " differs from the topic catalog; regenerate it from the repository root with "
                        + "./mvnw -q -B -pl deploy -am process-classes -Ptopic-manifests");
    }

    /** Read back as YAML, every catalog topic is there with exactly its partitions and configs, and no other. */
    @Test
    void kafkaTopicsAreTheCatalog() {
        List<JsonNode> topics = Manifests.documents(TOPICS);
        assertEquals(Topics.all().stream().map(TopicSpec::name).toList(),
                topics.stream().map(t -> t.path("metadata").path("name").asText()).toList());
        String cluster = Manifests.under(K8sTree.dir().resolve("base")).ofKind("Kafka").getFirst()
                .path("metadata").path("name").asText();
        for (JsonNode topic : topics) {
            TopicSpec spec = Topics.get(topic.path("metadata").path("name").asText());
            assertEquals("kafka.strimzi.io/v1beta2", topic.path("apiVersion").asText());
            assertEquals("KafkaTopic", topic.path("kind").asText());
            assertEquals(cluster, topic.path("metadata").path("labels").path("strimzi.io/cluster").asText(),
                    spec.name() + " must belong to the Kafka cluster of kafka.yaml");
            assertEquals(spec.name(), topic.path("spec").path("topicName").asText());
            assertEquals(spec.partitions(), topic.path("spec").path("partitions").asInt(), spec.name());
            assertEquals(KafkaTopicManifests.REPLICAS, topic.path("spec").path("replicas").asInt(), spec.name());
            Map<String, String> configs = new TreeMap<>();
            topic.path("spec").path("config").properties().forEach(e -> {
                assertEquals(true, e.getValue().isTextual(), spec.name() + " " + e.getKey() + " must be a string");
                configs.put(e.getKey(), e.getValue().asText());
            });
            assertEquals(new TreeMap<>(spec.configs()), configs, spec.name());
        }
    }

    @Test
    void aTopicNameKubernetesCannotTakeIsRefused() {
        TopicSpec bad = new TopicSpec("Clipstream_Images", 1, null, Map.of("cleanup.policy", "delete"));
        assertThrows(IllegalArgumentException.class, () -> KafkaTopicManifests.render(List.of(bad)));
    }

    @Test
    void configValuesAreQuotedAndEscaped() {
        TopicSpec odd = new TopicSpec("x.y", 2, null, Map.of("a", "say \"hi\"", "b", "true"));
        List<JsonNode> docs = Manifests.parse(KafkaTopicManifests.render(List.of(odd))).all();
        assertEquals("say \"hi\"", docs.getFirst().path("spec").path("config").path("a").asText());
        assertEquals(true, docs.getFirst().path("spec").path("config").path("b").isTextual());
    }
}
