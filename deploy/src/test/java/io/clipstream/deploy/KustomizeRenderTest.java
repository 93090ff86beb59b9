package io.clipstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.Topics.TopicSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What an operator's `kubectl apply -k` would send, for every overlay and component, and across a rollout. */
class KustomizeRenderTest {

    private static final String ROLLOUT = "clipstream-rollout";

    @TempDir
    Path temp;

    /** Per test, not per class: each then shows as skipped, with the reason, rather than vanishing. */
    @BeforeEach
    void needsKubectl() {
        Kustomize.assumeKubectl();
    }

    @Test
    void theOverlaysAreDevAndProduction() throws IOException {
        try (Stream<Path> overlays = Files.list(K8sTree.dir().resolve("overlays"))) {
            assertEquals(Set.of("dev", "production"),
                    overlays.map(p -> p.getFileName().toString()).collect(Collectors.toSet()),
                    "a new overlay needs its case in this test");
        }
    }

    @ParameterizedTest
    @CsvSource({"dev, clipstream-dev", "production, clipstream"})
    void everyOverlayRendersACompleteConsistentDeployment(String overlay, String namespace) {
        Manifests out = Kustomize.render(K8sTree.dir().resolve("overlays").resolve(overlay));

        assertEquals(namespace, out.get("Namespace", namespace).path("metadata").path("name").asText());
        for (JsonNode object : out.all()) {
            if (!object.path("kind").asText().equals("Namespace")) {
                assertEquals(namespace, object.path("metadata").path("namespace").asText(), describe(object));
            }
        }
        for (String service : K8sTree.HTTP_WORKLOADS) {
            JsonNode workload = out.workload(service);
            JsonNode replicas = workload.path("spec").path("replicas");
            assertTrue(replicas.isMissingNode() || replicas.isInt(), service + " replicas " + replicas);
            String image = Manifests.container(workload).path("image").asText();
            assertTrue(image.matches("clipstream/" + service + ":[\\w.-]+"), image);
            for (String configMap : Manifests.envFromConfigMaps(Manifests.container(workload))) {
                assertTrue(out.find("ConfigMap", configMap).isPresent(), service + " reads missing " + configMap);
            }
        }
        String stable = K8sTree.env(K8sTree.dir().resolve(RolloutManifest.STABLE_FILE)).get(RolloutManifest.VERSION_KEY);
        JsonNode rollout = out.generatedConfigMap(ROLLOUT);
        assertEquals(stable, rollout.path("data").path(RolloutManifest.VERSION_KEY).asText());
        for (String service : List.of("embedder", "classifier", "search")) {
            assertTrue(Manifests.envFromConfigMaps(Manifests.container(out.workload(service)))
                    .contains(rollout.path("metadata").path("name").asText()), service);
        }
        assertTrue(out.find("Deployment", "embedder-canary").isEmpty(), "no canary as committed");
        assertTopicsFitTheCluster(out);
    }

    @Test
    void devIsOneNodeWithTheTrainerOnCpu() {
        Manifests dev = Kustomize.render(K8sTree.dir().resolve("overlays/dev"));
        assertEquals(Set.of(1), topicReplicas(dev));
        for (JsonNode pool : dev.ofKind("KafkaNodePool")) {
            assertEquals(1, pool.path("spec").path("replicas").asInt());
        }
        JsonNode trainer = dev.get("StatefulSet", "trainer");
        assertFalse(Manifests.container(trainer).path("resources").path("limits").has("nvidia.com/gpu"));
        assertFalse(Manifests.podSpec(trainer).has("nodeSelector"));
        assertFalse(Manifests.podSpec(trainer).has("tolerations"));
        assertTrue(dev.ofKind("ScaledObject").isEmpty(), "dev needs no KEDA");
        assertEquals("[\"ReadWriteOnce\"]", dev.get("PersistentVolumeClaim", "clipstream-checkpoints")
                .path("spec").path("accessModes").toString());
    }

    @Test
    void productionIsReplicatedAutoscaledAndTrainsOnAGpu() {
        Manifests production = Kustomize.render(K8sTree.dir().resolve("overlays/production"));
        assertEquals(Set.of(3), topicReplicas(production));
        assertEquals(2, production.ofKind("Kafka").getFirst().path("spec").path("kafka").path("config")
                .path("min.insync.replicas").asInt());
        for (JsonNode scaled : production.ofKind("ScaledObject")) {
            assertEquals(2, scaled.path("spec").path("minReplicaCount").asInt(), describe(scaled));
        }
        assertEquals(Set.of("embedder", "classifier"), names(production.ofKind("ScaledObject")));
        assertEquals(2, production.get("Deployment", "ingest").path("spec").path("replicas").asInt());
        assertEquals(Set.of("ingest", "embedder", "classifier"), names(production.ofKind("PodDisruptionBudget")));
        assertEquals("1", Manifests.container(production.get("StatefulSet", "trainer"))
                .path("resources").path("limits").path("nvidia.com/gpu").asText());
    }

    /** Each optional component builds on the base alone, and all of them together. */
    @ParameterizedTest
    @ValueSource(strings = {"autoscaling", "monitoring", "canary", "kafka-security", "autoscaling,monitoring,canary"})
    void componentsRenderOnTheBase(String components) throws IOException {
        Path k8s = K8sTree.copy(temp);
        Path check = Files.createDirectories(k8s.resolve("check"));
        StringBuilder kustomization = new StringBuilder("resources:\n  - ../base\ncomponents:\n");
        for (String component : components.split(",")) {
            kustomization.append("  - ../components/").append(component).append('\n');
        }
        Files.writeString(check.resolve("kustomization.yaml"), kustomization);
        Manifests out = Kustomize.render(check);
        assertTrue(out.all().size() > 20, components);
    }

    /** The heart of the rollout: a new version renames the ConfigMap, which changes the model servers' pod templates only. */
    @Test
    void aNewStableVersionRollsTheModelServersOnly() {
        Path k8s = K8sTree.copy(temp);
        Path production = k8s.resolve("overlays/production");
        Manifests before = Kustomize.render(production);
        RolloutManifest.of(k8s, "production").setStable("next-1");
        Manifests after = Kustomize.render(production);

        JsonNode oldConfig = before.generatedConfigMap(ROLLOUT);
        JsonNode newConfig = after.generatedConfigMap(ROLLOUT);
        assertEquals("next-1", newConfig.path("data").path(RolloutManifest.VERSION_KEY).asText());
        String newName = newConfig.path("metadata").path("name").asText();
        assertNotEquals(oldConfig.path("metadata").path("name").asText(), newName);
        for (String service : K8sTree.HTTP_WORKLOADS) {
            JsonNode oldTemplate = before.workload(service).path("spec").path("template");
            JsonNode newTemplate = after.workload(service).path("spec").path("template");
            boolean rolls = service.equals("embedder") || service.equals("classifier") || service.equals("search");
            assertEquals(rolls, !oldTemplate.equals(newTemplate), service + " rolls: " + rolls);
            if (rolls) {
                assertTrue(Manifests.envFromConfigMaps(Manifests.container(after.workload(service))).contains(newName));
            }
        }
    }

    @Test
    void aCanaryTakesItsShareOfTheGroupAndPausesTheStableAutoscaler() {
        Path k8s = K8sTree.copy(temp);
        RolloutManifest manifest = RolloutManifest.of(k8s, "production");
        CanarySplit split = manifest.setCanary("canary-2", 34);
        Manifests out = Kustomize.render(k8s.resolve("overlays/production"));

        JsonNode canary = out.get("Deployment", "embedder-canary");
        JsonNode stable = out.get("Deployment", "embedder");
        assertEquals(split.canaryReplicas(), canary.path("spec").path("replicas").asInt());
        assertTrue(canary.path("spec").path("replicas").isInt());
        assertEquals(split.stableReplicas(), stable.path("spec").path("replicas").asInt());
        assertTrue(stable.path("spec").path("replicas").isInt(), "the API server rejects a string");
        assertEquals(Integer.toString(split.stableReplicas()), out.get("ScaledObject", "embedder")
                .path("metadata").path("annotations").path("autoscaling.keda.sh/paused-replicas").asText());
        assertEquals(Manifests.container(stable).path("image"), Manifests.container(canary).path("image"),
                "a checkpoint canary runs the stable image");

        JsonNode canaryConfig = out.generatedConfigMap("clipstream-rollout-canary");
        assertEquals("canary-2", canaryConfig.path("data").path(RolloutManifest.VERSION_KEY).asText());
        assertTrue(canaryConfig.path("immutable").asBoolean());
        assertEquals(List.of(out.generatedConfigMap("clipstream-runtime").path("metadata").path("name").asText(),
                canaryConfig.path("metadata").path("name").asText()),
                Manifests.envFromConfigMaps(Manifests.container(canary)));
        // Both tracks behind one Service, each Deployment selecting only its own pods.
        JsonNode serviceSelector = out.get("Service", "embedder").path("spec").path("selector");
        assertEquals("{\"app.kubernetes.io/name\":\"embedder\"}", serviceSelector.toString());
        assertNotEquals(stable.path("spec").path("selector"), canary.path("spec").path("selector"));

        manifest.clearCanary();
        Manifests cleared = Kustomize.render(k8s.resolve("overlays/production"));
        assertTrue(cleared.find("Deployment", "embedder-canary").isEmpty());
        assertTrue(cleared.get("Deployment", "embedder").path("spec").path("replicas").isMissingNode(),
                "KEDA owns the count again");
        assertFalse(cleared.get("ScaledObject", "embedder").path("metadata").path("annotations")
                .has("autoscaling.keda.sh/paused-replicas"));
    }

    @Test
    void aCanaryWorksWithoutKedaToo() {
        Path k8s = K8sTree.copy(temp);
        CanarySplit split = RolloutManifest.of(k8s, "dev").setCanary("canary-2", 50);
        Manifests out = Kustomize.render(k8s.resolve("overlays/dev"));
        JsonNode canary = out.get("Deployment", "embedder-canary").path("spec").path("replicas");
        JsonNode stable = out.get("Deployment", "embedder").path("spec").path("replicas");
        assertTrue(canary.isInt() && stable.isInt(), "the API server rejects a string: " + canary + ", " + stable);
        assertEquals(split.canaryReplicas(), canary.asInt());
        assertEquals(split.stableReplicas(), stable.asInt());
    }

    /** Every catalog topic with its partitions, and no more replicas than brokers nor a min ISR above them. */
    private static void assertTopicsFitTheCluster(Manifests out) {
        int brokers = 0;
        for (JsonNode pool : out.ofKind("KafkaNodePool")) {
            if (pool.path("spec").path("roles").toString().contains("\"broker\"")) {
                brokers += pool.path("spec").path("replicas").asInt();
            }
        }
        int minIsr = out.ofKind("Kafka").getFirst().path("spec").path("kafka").path("config")
                .path("min.insync.replicas").asInt();
        Set<String> names = new TreeSet<>();
        for (JsonNode topic : out.ofKind("KafkaTopic")) {
            TopicSpec spec = Topics.get(topic.path("spec").path("topicName").asText());
            names.add(spec.name());
            int replicas = topic.path("spec").path("replicas").asInt();
            assertEquals(spec.partitions(), topic.path("spec").path("partitions").asInt(), spec.name());
            assertTrue(replicas <= brokers, spec.name() + ": " + replicas + " replicas on " + brokers + " brokers");
            assertTrue(minIsr <= replicas, spec.name() + ": min.insync.replicas " + minIsr + " > " + replicas);
        }
        assertEquals(new TreeSet<>(Topics.all().stream().map(TopicSpec::name).toList()), names);
    }

    private static Set<Integer> topicReplicas(Manifests out) {
        Set<Integer> replicas = new TreeSet<>();
        out.ofKind("KafkaTopic").forEach(t -> replicas.add(t.path("spec").path("replicas").asInt()));
        return replicas;
    }

    private static Set<String> names(List<JsonNode> objects) {
        Set<String> names = new TreeSet<>();
        objects.forEach(o -> names.add(o.path("metadata").path("name").asText()));
        return names;
    }

    private static String describe(JsonNode object) {
        return object.path("kind").asText() + " " + object.path("metadata").path("name").asText();
    }
}
