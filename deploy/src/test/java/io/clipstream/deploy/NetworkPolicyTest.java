package io.clipstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The NetworkPolicies of what an operator applies: every workload is behind a default deny (ingress and egress),
 * each service may reach Kafka's listeners and the cluster DNS, and is reached on its HTTP port only.
 */
class NetworkPolicyTest {

    private static final String KAFKA_CLUSTER = "clipstream";
    /** The labels Strimzi gives a broker pod of the cluster (the ones a policy may rely on). */
    private static final JsonNode BROKER_POD = labels("strimzi.io/cluster", KAFKA_CLUSTER, "strimzi.io/kind", "Kafka",
            "strimzi.io/broker-role", "true");
    private static final JsonNode KUBE_SYSTEM = labels("kubernetes.io/metadata.name", "kube-system");
    private static final JsonNode KUBE_DNS_POD = labels("k8s-app", "kube-dns");

    @TempDir
    Path temp;

    @BeforeEach
    void needsKubectl() {
        Kustomize.assumeKubectl();
    }

    /**
     * The two overlays as committed, or an overlay with components added to its list after autoscaling (where the
     * canary must go) in a copy of the tree: "production+canary+kafka-security+monitoring".
     */
    private Manifests render(String rendering) throws IOException {
        String[] parts = rendering.split("\\+");
        Path overlays = K8sTree.dir().resolve("overlays");
        if (parts.length > 1) {
            overlays = K8sTree.copy(temp).resolve("overlays");
            Path kustomization = overlays.resolve(parts[0]).resolve("kustomization.yaml");
            StringBuilder added = new StringBuilder();
            for (int i = 1; i < parts.length; i++) {
                added.append("  - ../../components/").append(parts[i]).append('\n');
            }
            String autoscaling = "  - ../../components/autoscaling\n";
            String text = Files.readString(kustomization).replace("  # - ../../components/canary\n", "");
            assertTrue(text.contains(autoscaling), parts[0] + " lists no autoscaling to add components after");
            Files.writeString(kustomization, text.replace(autoscaling, autoscaling + added));
        }
        Manifests out = Kustomize.render(overlays.resolve(parts[0]));
        if (rendering.contains("canary")) {
            out.get("Deployment", "embedder-canary");
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production", "production+canary+kafka-security+monitoring"})
    void everyWorkloadIsSelectedByANetworkPolicy(String rendering) throws IOException {
        Manifests out = render(rendering);
        assertFalse(out.workloads().isEmpty());
        for (JsonNode workload : out.workloads()) {
            assertFalse(policiesSelecting(out, workload).isEmpty(),
                    "no NetworkPolicy selects " + describe(workload) + " in " + rendering);
        }
    }

    /** Nothing in or out that a policy does not allow: one policy denies both ways for every workload. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "production", "production+canary+kafka-security+monitoring"})
    void aDefaultDenyCoversIngressAndEgressOfEveryWorkload(String rendering) throws IOException {
        Manifests out = render(rendering);
        List<JsonNode> denyAll = out.ofKind("NetworkPolicy").stream()
                .filter(p -> policyTypes(p).containsAll(List.of("Ingress", "Egress")))
                .filter(p -> p.path("spec").path("ingress").isEmpty() && p.path("spec").path("egress").isEmpty())
                .toList();
        assertFalse(denyAll.isEmpty(), "no default-deny NetworkPolicy (both policyTypes, no rules) in " + rendering);
        for (JsonNode workload : out.workloads()) {
            assertTrue(denyAll.stream().anyMatch(p -> selects(p, workload)),
                    "no default deny selects " + describe(workload) + " in " + rendering);
        }
        // Strimzi's own pods are left to the policies Strimzi writes for them (README: Network policies).
        assertTrue(denyAll.stream().noneMatch(p -> Manifests.selects(p.path("spec").path("podSelector"), BROKER_POD)),
                "the default deny must leave the Kafka pods to Strimzi's policies");
    }

    /** Every listener port of the rendered Kafka cluster (9092; 9093 with kafka-security) and DNS on UDP and TCP. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "production", "production+canary+kafka-security+monitoring"})
    void eachServiceMayReachKafkaAndDns(String rendering) throws IOException {
        Manifests out = render(rendering);
        String namespace = out.get("Kafka", KAFKA_CLUSTER).path("metadata").path("namespace").asText();
        JsonNode ownNamespace = labels("kubernetes.io/metadata.name", namespace);
        List<Integer> listeners = new ArrayList<>();
        out.get("Kafka", KAFKA_CLUSTER).path("spec").path("kafka").path("listeners")
                .forEach(l -> listeners.add(l.path("port").asInt()));
        assertTrue(listeners.contains(9092), "listeners " + listeners);
        if (rendering.contains("kafka-security")) {
            assertTrue(listeners.contains(9093), "listeners " + listeners);
        }
        for (JsonNode workload : services(out)) {
            List<JsonNode> egress = rules(policiesSelecting(out, workload), "egress");
            for (int port : listeners) {
                assertTrue(allows(egress, "to", BROKER_POD, ownNamespace, namespace, "TCP", port),
                        describe(workload) + " may not reach Kafka on " + port + " in " + rendering);
            }
            for (String protocol : List.of("UDP", "TCP")) {
                assertTrue(allows(egress, "to", KUBE_DNS_POD, KUBE_SYSTEM, namespace, protocol, 53),
                        describe(workload) + " may not reach kube-dns on " + protocol + " 53 in " + rendering);
            }
        }
    }

    /** Callers reach a service on its HTTP port (API, probes' port, /q/metrics) and nothing else. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "production+canary+kafka-security+monitoring"})
    void servicesAreReachedOnTheirHttpPortOnly(String rendering) throws IOException {
        Manifests out = render(rendering);
        for (JsonNode workload : services(out)) {
            List<JsonNode> ingress = rules(policiesSelecting(out, workload), "ingress");
            assertFalse(ingress.isEmpty(), describe(workload) + " cannot be called at all in " + rendering);
            for (JsonNode rule : ingress) {
                assertFalse(rule.path("ports").isEmpty(), describe(workload) + " ingress on every port: " + rule);
                for (JsonNode port : rule.path("ports")) {
                    assertEquals("http", port.path("port").asText(), describe(workload) + " ingress " + rule);
                }
            }
        }
    }

    /**
     * The console calls each service's HTTP port (its proxy) and DNS, and nothing else: not Kafka. It is reached on
     * its own HTTP port only.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "production+canary+kafka-security+monitoring"})
    void theConsoleCallsTheServicesHttpPortsAndNothingElse(String rendering) throws IOException {
        Manifests out = render(rendering);
        JsonNode console = out.workload(K8sTree.CONSOLE);
        String namespace = console.path("metadata").path("namespace").asText();
        JsonNode ownNamespace = labels("kubernetes.io/metadata.name", namespace);
        List<JsonNode> egress = rules(policiesSelecting(out, console), "egress");
        for (JsonNode service : services(out)) {
            assertTrue(reachesHttpPort(egress, podLabels(service), namespace),
                    "the console may not call " + describe(service) + " in " + rendering);
            List<JsonNode> ingress = rules(policiesSelecting(out, service), "ingress");
            assertTrue(reachesHttpPort(ingress.stream().map(NetworkPolicyTest::fromAsTo).toList(), podLabels(console),
                    namespace), describe(service) + " does not take calls from the console in " + rendering);
        }
        for (int port : List.of(9092, 9093)) {
            assertFalse(allows(egress, "to", BROKER_POD, ownNamespace, namespace, "TCP", port),
                    "the console needs no Kafka (" + port + ") in " + rendering);
        }
        for (String protocol : List.of("UDP", "TCP")) {
            assertTrue(allows(egress, "to", KUBE_DNS_POD, KUBE_SYSTEM, namespace, protocol, 53),
                    "the console may not reach kube-dns on " + protocol + " 53 in " + rendering);
        }
        List<JsonNode> ingress = rules(policiesSelecting(out, console), "ingress");
        assertFalse(ingress.isEmpty(), "nobody can open the console in " + rendering);
        for (JsonNode rule : ingress) {
            assertFalse(rule.path("ports").isEmpty(), "console ingress on every port: " + rule);
            rule.path("ports").forEach(p -> assertEquals("http", p.path("port").asText(), "console ingress " + rule));
        }
    }

    /** Whether a rule lets traffic to pods with these labels in the policy's own namespace on the port named http. */
    private static boolean reachesHttpPort(List<JsonNode> rules, JsonNode podLabels, String namespace) {
        for (JsonNode rule : rules) {
            boolean peerMatches = rule.path("to").isEmpty();
            for (JsonNode peer : rule.path("to")) {
                boolean namespaceMatches = !peer.has("namespaceSelector") || Manifests.selects(
                        peer.path("namespaceSelector"), labels("kubernetes.io/metadata.name", namespace));
                boolean podMatches = !peer.has("podSelector") || Manifests.selects(peer.path("podSelector"), podLabels);
                peerMatches |= !peer.has("ipBlock") && namespaceMatches && podMatches;
            }
            boolean portMatches = rule.path("ports").isEmpty();
            for (JsonNode port : rule.path("ports")) {
                portMatches |= "http".equals(port.path("port").asText()) && "TCP".equals(port.path("protocol").asText("TCP"));
            }
            if (peerMatches && portMatches) {
                return true;
            }
        }
        return false;
    }

    /** An ingress rule read as an egress one (its "from" as "to"), for {@link #reachesHttpPort}. */
    private static JsonNode fromAsTo(JsonNode rule) {
        ObjectNode copy = rule.deepCopy();
        copy.set("to", copy.remove("from"));
        return copy;
    }

    /** The workloads of the services (a canary is its service's too); all must be there. */
    private static List<JsonNode> services(Manifests out) {
        List<JsonNode> services = out.workloads().stream()
                .filter(w -> K8sTree.SERVICES.contains(podLabels(w).path("app.kubernetes.io/name").asText()))
                .toList();
        assertEquals(new TreeSet<>(K8sTree.SERVICES),
                new TreeSet<>(services.stream().map(w -> podLabels(w).path("app.kubernetes.io/name").asText()).toList()));
        return services;
    }

    private static JsonNode podLabels(JsonNode workload) {
        return Manifests.podTemplate(workload).path("metadata").path("labels");
    }

    private static List<JsonNode> policiesSelecting(Manifests out, JsonNode workload) {
        return out.ofKind("NetworkPolicy").stream().filter(p -> selects(p, workload)).toList();
    }

    private static boolean selects(JsonNode policy, JsonNode workload) {
        return policy.path("metadata").path("namespace").asText().equals(workload.path("metadata").path("namespace").asText())
                && Manifests.selects(policy.path("spec").path("podSelector"), podLabels(workload));
    }

    private static List<String> policyTypes(JsonNode policy) {
        List<String> types = new ArrayList<>();
        policy.path("spec").path("policyTypes").forEach(t -> types.add(t.asText()));
        return types;
    }

    /** The rules of a direction of the policies that list it in their policyTypes. */
    private static List<JsonNode> rules(List<JsonNode> policies, String direction) {
        String type = direction.equals("egress") ? "Egress" : "Ingress";
        List<JsonNode> rules = new ArrayList<>();
        policies.stream().filter(p -> policyTypes(p).contains(type))
                .forEach(p -> p.path("spec").path(direction).forEach(rules::add));
        return rules;
    }

    /**
     * Whether one of the rules lets traffic through to (or from) a pod with podLabels in a namespace with
     * namespaceLabels on that protocol and port. A peer without namespaceSelector means the policy's own namespace.
     */
    private static boolean allows(List<JsonNode> rules, String peers, JsonNode podLabels, JsonNode namespaceLabels,
            String ownNamespace, String protocol, int port) {
        String namespace = namespaceLabels.path("kubernetes.io/metadata.name").asText();
        for (JsonNode rule : rules) {
            boolean peerMatches = rule.path(peers).isEmpty();
            for (JsonNode peer : rule.path(peers)) {
                if (peer.has("ipBlock")) {
                    continue;
                }
                boolean namespaceMatches = peer.has("namespaceSelector")
                        ? Manifests.selects(peer.path("namespaceSelector"), namespaceLabels)
                        : namespace.equals(ownNamespace);
                boolean podMatches = !peer.has("podSelector") || Manifests.selects(peer.path("podSelector"), podLabels);
                peerMatches |= namespaceMatches && podMatches;
            }
            boolean portMatches = rule.path("ports").isEmpty();
            for (JsonNode p : rule.path("ports")) {
                int from = p.path("port").asInt(-1);
                int to = p.path("endPort").asInt(from);
                portMatches |= protocol.equals(p.path("protocol").asText("TCP"))
                        && (!p.has("port") || (from <= port && port <= to));
            }
            if (peerMatches && portMatches) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode labels(String... keyValues) {
        ObjectNode labels = Manifests.YAML.createObjectNode();
        for (int i = 0; i < keyValues.length; i += 2) {
            labels.put(keyValues[i], keyValues[i + 1]);
        }
        return labels;
    }

    private static String describe(JsonNode workload) {
        return workload.path("kind").asText() + " " + workload.path("metadata").path("name").asText();
    }
}
