package io.clipstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.clipstream.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** KEDA scales embedder and classifier on the lag of their own consumer group, never beyond the partitions. */
class AutoscalingTest {

    /** Each autoscaled service and the topic it consumes. */
    private static final Map<String, String> CONSUMES = Map.of(
            "embedder", Topics.IMAGES,
            "classifier", Topics.EMBEDDINGS);

    private final Manifests base = Manifests.under(K8sTree.dir().resolve("base"));
    private final Manifests autoscaling = Manifests.under(K8sTree.dir().resolve("components/autoscaling"));

    @Test
    void scaledObjectsCoverTheConsumersAndTargetBaseDeployments() {
        Map<String, String> targets = new TreeMap<>();
        for (JsonNode scaled : autoscaling.ofKind("ScaledObject")) {
            targets.put(scaled.path("metadata").path("name").asText(),
                    scaled.path("spec").path("scaleTargetRef").path("name").asText());
        }
        assertEquals(new TreeMap<>(Map.of("embedder", "embedder", "classifier", "classifier")), targets);
        targets.values().forEach(name -> base.get("Deployment", name));
    }

    /** More members than partitions would sit idle: KEDA must stop at the topic's partition count. */
    @Test
    void maxReplicasNeverExceedThePartitions() {
        for (String service : CONSUMES.keySet()) {
            JsonNode spec = autoscaling.get("ScaledObject", service).path("spec");
            JsonNode trigger = kafkaTrigger(spec);
            String topic = trigger.path("topic").asText();
            assertEquals(CONSUMES.get(service), topic, service);
            int max = spec.path("maxReplicaCount").asInt();
            int min = spec.path("minReplicaCount").asInt();
            assertTrue(1 <= min && min <= max, service + " min " + min + " max " + max);
            assertTrue(max <= Topics.get(topic).partitions(),
                    service + " scales to " + max + " but " + topic + " has " + Topics.get(topic).partitions());
        }
    }

    /** The lag KEDA reads is the lag of the group the service really joins: its Quarkus application name. */
    @Test
    void triggersWatchTheServicesOwnGroupOnTheClustersBootstrap() {
        String bootstrap = K8sTree.env(K8sTree.dir().resolve("base/runtime.env")).get("KAFKA_BOOTSTRAP_SERVERS");
        for (String service : CONSUMES.keySet()) {
            JsonNode trigger = kafkaTrigger(autoscaling.get("ScaledObject", service).path("spec"));
            assertEquals(consumerGroup(service), trigger.path("consumerGroup").asText(), service);
            assertEquals(bootstrap, trigger.path("bootstrapServers").asText(), service);
            assertTrue(Integer.parseInt(trigger.path("lagThreshold").asText()) > 0, service);
        }
        assertEquals("clipstream-embedder", consumerGroup("embedder"));
        assertEquals("clipstream-classifier", consumerGroup("classifier"));
    }

    /**
     * Kafka Streams' application id, else the application name: Quarkus defaults both the Streams application id
     * and SmallRye's consumer group.id to quarkus.application.name.
     */
    private static String consumerGroup(String service) {
        Properties props = K8sTree.applicationProperties(service);
        return props.getProperty("quarkus.kafka-streams.application-id", props.getProperty("quarkus.application.name"));
    }

    private static JsonNode kafkaTrigger(JsonNode spec) {
        List<JsonNode> kafka = new ArrayList<>();
        spec.path("triggers").forEach(t -> {
            if ("kafka".equals(t.path("type").asText())) {
                kafka.add(t.path("metadata"));
            }
        });
        assertEquals(1, kafka.size(), "one kafka trigger");
        return kafka.getFirst();
    }
}
