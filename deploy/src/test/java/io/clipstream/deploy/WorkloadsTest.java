package io.clipstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** The services and the console as the base deploys them, checked against their own configuration. */
class WorkloadsTest {

    private static final List<String> SERVICES = K8sTree.SERVICES;
    private static final List<String> HTTP_WORKLOADS = K8sTree.HTTP_WORKLOADS;
    private static final String CHECKPOINTS = "/var/lib/clipstream/checkpoints";

    private final Manifests base = Manifests.under(K8sTree.dir().resolve("base"));
    private final Map<String, String> runtime = K8sTree.env(K8sTree.dir().resolve("base/runtime.env"));

    /** Container port, QUARKUS_HTTP_PORT, scrape annotation and Service: all the port of application.properties. */
    @ParameterizedTest
    @FieldSource("HTTP_WORKLOADS")
    void httpPortIsTheServicesOwn(String service) {
        String port = K8sTree.applicationProperties(service).getProperty("quarkus.http.port");
        JsonNode workload = base.workload(service);
        JsonNode container = Manifests.container(workload);
        assertEquals(service, container.path("name").asText());
        assertEquals(1, container.path("ports").size());
        assertEquals("http", container.path("ports").get(0).path("name").asText());
        assertEquals(port, container.path("ports").get(0).path("containerPort").asText());
        assertEquals(port, Manifests.envValue(container, "QUARKUS_HTTP_PORT").orElseThrow());

        JsonNode annotations = workload.path("spec").path("template").path("metadata").path("annotations");
        assertEquals("true", annotations.path("prometheus.io/scrape").asText());
        assertEquals("/q/metrics", annotations.path("prometheus.io/path").asText());
        assertEquals(port, annotations.path("prometheus.io/port").asText());

        JsonNode servicePort = base.get("Service", service).path("spec").path("ports").get(0);
        assertEquals("http", servicePort.path("name").asText());
        assertEquals(port, servicePort.path("port").asText());
        assertEquals("http", servicePort.path("targetPort").asText());
        assertSelects(base.get("Service", service).path("spec").path("selector"), workload);
    }

    @ParameterizedTest
    @FieldSource("HTTP_WORKLOADS")
    void probesUseTheQuarkusHealthEndpoints(String service) {
        JsonNode container = Manifests.container(base.workload(service));
        Map<String, String> expected = Map.of(
                "startupProbe", "/q/health/started",
                "livenessProbe", "/q/health/live",
                "readinessProbe", "/q/health/ready");
        expected.forEach((probe, path) -> {
            JsonNode get = container.path(probe).path("httpGet");
            assertEquals(path, get.path("path").asText(), service + " " + probe);
            assertEquals("http", get.path("port").asText(), service + " " + probe);
        });
    }

    @ParameterizedTest
    @FieldSource("HTTP_WORKLOADS")
    void podsRunHardened(String service) {
        JsonNode pod = Manifests.podSpec(base.workload(service));
        assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), service);
        assertFalse(pod.path("automountServiceAccountToken").asBoolean(true), service + " needs no API token");
        JsonNode security = Manifests.container(base.workload(service)).path("securityContext");
        assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), service);
        assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), service);
        assertEquals("[\"ALL\"]", security.path("capabilities").path("drop").toString(), service);
        // A read-only root needs a writable /tmp: Kafka Streams state, DJL's natives, JVM perf data.
        assertEquals("tmp", mountAt(base.workload(service), "/tmp").path("name").asText());
        assertTrue(volume(base.workload(service), "tmp").has("emptyDir"), service);
    }

    /** Memory request = limit: the JVM sizes its heap from the limit, so the node must really have it. */
    @ParameterizedTest
    @FieldSource("HTTP_WORKLOADS")
    void resourcesAreSizedForAJvm(String service) {
        JsonNode resources = Manifests.container(base.workload(service)).path("resources");
        for (String field : List.of("cpu", "memory")) {
            assertFalse(resources.path("requests").path(field).asText().isBlank(), service + " requests " + field);
            assertFalse(resources.path("limits").path(field).asText().isBlank(), service + " limits " + field);
        }
        assertEquals(resources.path("requests").path("memory"), resources.path("limits").path("memory"), service);
    }

    @ParameterizedTest
    @FieldSource("HTTP_WORKLOADS")
    void imagesAreClipstreamsTaggedByKustomize(String service) {
        assertEquals("clipstream/" + service, Manifests.container(base.workload(service)).path("image").asText());
        JsonNode kustomization = Manifests.documents(K8sTree.dir().resolve("base/kustomization.yaml")).getFirst();
        List<String> tagged = new ArrayList<>();
        kustomization.path("images").forEach(i -> {
            if (!i.path("newTag").asText().isBlank()) {
                tagged.add(i.path("name").asText());
            }
        });
        assertTrue(tagged.contains("clipstream/" + service), "base/kustomization.yaml images: " + tagged);
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void everyServiceGetsTheRuntimeSettings(String service) {
        assertTrue(Manifests.envFromConfigMaps(Manifests.container(base.workload(service))).contains("clipstream-runtime"));
    }

    /** The console reaches each service by its Service name and HTTP port, under the names it knows. */
    @Test
    void consoleReachesEachServiceByItsServiceAndPort() {
        JsonNode console = Manifests.container(base.workload(K8sTree.CONSOLE));
        Properties own = K8sTree.applicationProperties(K8sTree.CONSOLE);
        for (String service : SERVICES) {
            String port = K8sTree.applicationProperties(service).getProperty("quarkus.http.port");
            String key = "clipstream.console.services." + service;
            assertTrue(own.containsKey(key), "the console's application.properties names " + key
                    + " (an environment variable only overrides a name the configuration knows)");
            assertEquals("http://" + service + ":" + port, Manifests.envValue(console,
                    "CLIPSTREAM_CONSOLE_SERVICES_" + service.toUpperCase(Locale.ROOT)).orElseThrow(), service);
            assertEquals(port, base.get("Service", service).path("spec").path("ports").get(0).path("port").asText());
        }
    }

    /** No Kafka, no model: the console reads neither the shared settings, nor the rollout, nor the store. */
    @Test
    void consoleNeedsNoKafkaNoRolloutAndNoCheckpoints() {
        JsonNode console = base.workload(K8sTree.CONSOLE);
        assertEquals(List.of(), Manifests.envFromConfigMaps(Manifests.container(console)));
        assertTrue(mountAtOrNull(console, CHECKPOINTS) == null, "the console needs no checkpoint");
        assertEquals("true", console.path("spec").path("template").path("metadata").path("labels")
                .path("clipstream.io/http-client").asText(), "an HTTP client of the services (networkpolicies.yaml)");
    }

    @Test
    void runtimeSettingsKeepDjlOfflineAndTheJvmNative() {
        assertEquals("true", runtime.get("DJL_OFFLINE"));
        assertEquals("PASSIVE", runtime.get("OMP_WAIT_POLICY"));
        assertTrue(runtime.get("JAVA_TOOL_OPTIONS").contains("--enable-native-access=ALL-UNNAMED"));
        assertTrue(runtime.get("DJL_CACHE_DIR").startsWith("/tmp/"), "the only writable place is /tmp");
        assertEquals("file:" + CHECKPOINTS, runtime.get("CLIPSTREAM_MODEL_CHECKPOINT_STORE"));
    }

    /** The store is shared: written by the trainer alone, read by the model servers. */
    @Test
    void checkpointStoreIsSharedReadOnlyExceptForTheTrainer() {
        JsonNode pvc = base.get("PersistentVolumeClaim", "clipstream-checkpoints");
        assertEquals("[\"ReadWriteMany\"]", pvc.path("spec").path("accessModes").toString());
        Map<String, Boolean> readOnly = Map.of("trainer", false, "embedder", true, "classifier", true, "search", true);
        readOnly.forEach((service, ro) -> {
            JsonNode workload = base.workload(service);
            JsonNode mount = mountAt(workload, CHECKPOINTS);
            assertEquals(ro, mount.path("readOnly").asBoolean(false), service);
            JsonNode claim = volume(workload, mount.path("name").asText()).path("persistentVolumeClaim");
            assertEquals("clipstream-checkpoints", claim.path("claimName").asText(), service);
            assertEquals(ro, claim.path("readOnly").asBoolean(false), service);
        });
        assertTrue(mountAtOrNull(base.workload("ingest"), CHECKPOINTS) == null, "ingest needs no checkpoint");
    }

    /**
     * Exactly the model servers read the rollout (search: the version that answers queries naming none), so a new
     * version rolls them and nothing else.
     */
    @Test
    void rolloutConfigMapIsReadByTheModelServersOnly() {
        Map<String, Boolean> reads = new HashMap<>();
        for (String service : SERVICES) {
            reads.put(service, Manifests.envFromConfigMaps(Manifests.container(base.workload(service)))
                    .contains("clipstream-rollout"));
        }
        assertEquals(Map.of("ingest", false, "trainer", false, "embedder", true, "classifier", true, "search", true),
                reads);
        JsonNode kustomization = Manifests.documents(K8sTree.dir().resolve("base/kustomization.yaml")).getFirst();
        boolean generated = false;
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            if ("clipstream-rollout".equals(generator.path("name").asText())) {
                assertEquals("[\"rollout.env\"]", generator.path("envs").toString());
                assertFalse(generator.path("options").path("disableNameSuffixHash").asBoolean(),
                        "the hash suffix is what rolls the pods");
                assertTrue(generator.path("options").path("immutable").asBoolean(), "a version is never edited in place");
                generated = true;
            }
        }
        assertTrue(generated, "base/kustomization.yaml generates clipstream-rollout");
        assertEquals(Set.of(RolloutManifest.VERSION_KEY),
                K8sTree.env(K8sTree.dir().resolve(RolloutManifest.STABLE_FILE)).keySet());
    }

    @Test
    void trainerIsOneStatefulPodOnAGpuNode() {
        JsonNode trainer = base.get("StatefulSet", "trainer");
        assertEquals(1, trainer.path("spec").path("replicas").asInt(), "one writer of checkpoints");
        assertEquals("trainer", trainer.path("spec").path("serviceName").asText());
        assertEquals("None", base.get("Service", "trainer").path("spec").path("clusterIP").asText());
        JsonNode pod = Manifests.podSpec(trainer);
        assertEquals("1", Manifests.container(trainer).path("resources").path("limits").path("nvidia.com/gpu").asText());
        assertFalse(pod.path("nodeSelector").isEmpty(), "GPU nodes only");
        boolean tolerates = false;
        for (JsonNode toleration : pod.path("tolerations")) {
            tolerates |= "nvidia.com/gpu".equals(toleration.path("key").asText());
        }
        assertTrue(tolerates, "GPU nodes are tainted nvidia.com/gpu");
    }

    /** Search: one pod with its own volume, where the index and the stream positions in its commits live. */
    @Test
    void searchIsOneStatefulPodWithItsIndexOnItsOwnVolume() {
        JsonNode search = base.get("StatefulSet", "search");
        assertEquals(1, search.path("spec").path("replicas").asInt(), "one machine's index");
        assertEquals("search", search.path("spec").path("serviceName").asText());
        assertEquals("None", base.get("Service", "search").path("spec").path("clusterIP").asText());
        String stateDir = Manifests.envValue(Manifests.container(search), "CLIPSTREAM_SEARCH_STATE_DIR").orElseThrow();
        JsonNode mount = mountAt(search, stateDir);
        assertFalse(mount.path("readOnly").asBoolean(false));
        JsonNode claim = search.path("spec").path("volumeClaimTemplates").get(0);
        assertEquals(mount.path("name").asText(), claim.path("metadata").path("name").asText(),
                "the index is on the pod's own claim");
        assertEquals("[\"ReadWriteOnce\"]", claim.path("spec").path("accessModes").toString());
        assertFalse(claim.path("spec").path("resources").path("requests").path("storage").asText().isBlank());
    }

    @Test
    void consumersHaveDisruptionBudgetsThatNeverBlockADrain() {
        for (String service : List.of("ingest", "embedder", "classifier")) {
            JsonNode pdb = base.get("PodDisruptionBudget", service);
            assertEquals(1, pdb.path("spec").path("maxUnavailable").asInt(), service);
            assertSelects(pdb.path("spec").path("selector").path("matchLabels"), base.workload(service));
        }
    }

    /** The canary is the stable embedder's pod with another version: nothing else may drift between the two. */
    @Test
    void canaryPodIsTheStableOneButForItsVersion() {
        Manifests canary = Manifests.under(K8sTree.dir().resolve(RolloutManifest.CANARY_COMPONENT));
        JsonNode stableTemplate = base.workload("embedder").path("spec").path("template").deepCopy();
        JsonNode canaryTemplate = canary.workload("embedder-canary").path("spec").path("template").deepCopy();

        JsonNode canaryEnvFrom = containerOf(canaryTemplate).remove("envFrom");
        JsonNode stableEnvFrom = containerOf(stableTemplate).remove("envFrom");
        assertEquals("[\"clipstream-runtime\",\"clipstream-rollout-canary\"]", names(canaryEnvFrom));
        assertEquals("[\"clipstream-runtime\",\"clipstream-rollout\"]", names(stableEnvFrom));

        ObjectNode canaryLabels = (ObjectNode) canaryTemplate.path("metadata").path("labels");
        ObjectNode stableLabels = (ObjectNode) stableTemplate.path("metadata").path("labels");
        assertEquals("canary", canaryLabels.remove("clipstream.io/track").asText());
        assertEquals("stable", stableLabels.remove("clipstream.io/track").asText());
        // The base adds part-of through its labels transformer; the component states it itself.
        canaryLabels.remove("app.kubernetes.io/part-of");
        assertEquals(stableTemplate, canaryTemplate);
    }

    private static ObjectNode containerOf(JsonNode template) {
        return (ObjectNode) template.path("spec").path("containers").get(0);
    }

    private static String names(JsonNode envFrom) {
        List<String> names = new ArrayList<>();
        envFrom.forEach(e -> names.add(e.path("configMapRef").path("name").asText()));
        return Manifests.YAML.valueToTree(names).toString();
    }

    private static void assertSelects(JsonNode selector, JsonNode workload) {
        JsonNode podLabels = workload.path("spec").path("template").path("metadata").path("labels");
        assertFalse(selector.isEmpty());
        selector.properties().forEach(e -> assertEquals(e.getValue().asText(), podLabels.path(e.getKey()).asText(),
                "selector " + e.getKey() + " of " + workload.path("metadata").path("name").asText()));
    }

    private static JsonNode mountAt(JsonNode workload, String path) {
        JsonNode mount = mountAtOrNull(workload, path);
        assertTrue(mount != null, workload.path("metadata").path("name").asText() + " mounts nothing at " + path);
        return mount;
    }

    private static JsonNode mountAtOrNull(JsonNode workload, String path) {
        for (JsonNode mount : Manifests.container(workload).path("volumeMounts")) {
            if (path.equals(mount.path("mountPath").asText())) {
                return mount;
            }
        }
        return null;
    }

    private static JsonNode volume(JsonNode workload, String name) {
        for (JsonNode volume : Manifests.podSpec(workload).path("volumes")) {
            if (name.equals(volume.path("name").asText())) {
                return volume;
            }
        }
        throw new AssertionError("No volume " + name + " in " + workload.path("metadata").path("name").asText());
    }
}
