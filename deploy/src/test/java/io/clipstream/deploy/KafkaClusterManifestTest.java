package io.clipstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.clipstream.schemas.Topics;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The Strimzi cluster of the base: KRaft with node pools, reachable where the services look, able to hold the topics. */
class KafkaClusterManifestTest {

    private final Manifests base = Manifests.under(K8sTree.dir().resolve("base"));
    private final JsonNode kafka = base.ofKind("Kafka").getFirst();
    private final JsonNode config = kafka.path("spec").path("kafka").path("config");

    @Test
    void kraftWithControllerAndBrokerNodePools() {
        assertEquals("kafka.strimzi.io/v1beta2", kafka.path("apiVersion").asText());
        assertEquals("enabled", kafka.path("metadata").path("annotations").path("strimzi.io/kraft").asText());
        assertEquals("enabled", kafka.path("metadata").path("annotations").path("strimzi.io/node-pools").asText());
        assertFalse(kafka.path("spec").has("zookeeper"));
        Set<String> roles = new TreeSet<>();
        for (JsonNode pool : base.ofKind("KafkaNodePool")) {
            assertEquals(kafka.path("metadata").path("name").asText(),
                    pool.path("metadata").path("labels").path("strimzi.io/cluster").asText());
            pool.path("spec").path("roles").forEach(r -> roles.add(r.asText()));
        }
        assertEquals(Set.of("broker", "controller"), roles);
        assertTrue(kafka.path("spec").path("entityOperator").has("topicOperator"), "KafkaTopics need the topic operator");
    }

    /** KAFKA_BOOTSTRAP_SERVERS names Strimzi's bootstrap Service of this cluster and its plain listener. */
    @Test
    void servicesBootstrapFromThisCluster() {
        JsonNode plain = null;
        for (JsonNode listener : kafka.path("spec").path("kafka").path("listeners")) {
            if (!listener.path("tls").asBoolean() && "internal".equals(listener.path("type").asText())) {
                plain = listener;
            }
        }
        assertTrue(plain != null, "no internal plain listener");
        String expected = kafka.path("metadata").path("name").asText() + "-kafka-bootstrap:" + plain.path("port").asInt();
        assertEquals(expected, K8sTree.env(K8sTree.dir().resolve("base/runtime.env")).get("KAFKA_BOOTSTRAP_SERVERS"));
    }

    @Test
    void replicationFitsTheBrokersAndSurvivesOneLoss() {
        int brokers = brokerCount();
        int replication = config.path("default.replication.factor").asInt();
        int minIsr = config.path("min.insync.replicas").asInt();
        assertTrue(replication <= brokers, replication + " replicas on " + brokers + " brokers");
        // With one replica down, producers (acks=all) still write.
        assertTrue(minIsr < replication, "min.insync.replicas " + minIsr + " must be below replication " + replication);
        assertEquals(replication, config.path("offsets.topic.replication.factor").asInt());
        assertEquals(replication, config.path("transaction.state.log.replication.factor").asInt());
        assertEquals(minIsr, config.path("transaction.state.log.min.isr").asInt());
        for (JsonNode topic : base.ofKind("KafkaTopic")) {
            assertTrue(topic.path("spec").path("replicas").asInt() <= brokers, topic.path("metadata").path("name").asText());
        }
    }

    @Test
    void brokersTakeTheCatalogsLargestRecordsAndCreateNoTopicByAccident() {
        assertTrue(config.path("replica.fetch.max.bytes").asLong() >= Topics.MAX_MESSAGE_BYTES,
                "followers must fetch the 16 MiB image records");
        assertEquals(false, config.path("auto.create.topics.enable").asBoolean(true));
    }

    private int brokerCount() {
        int brokers = 0;
        for (JsonNode pool : base.ofKind("KafkaNodePool")) {
            for (JsonNode role : pool.path("spec").path("roles")) {
                if ("broker".equals(role.asText())) {
                    brokers += pool.path("spec").path("replicas").asInt();
                }
            }
        }
        return brokers;
    }
}
