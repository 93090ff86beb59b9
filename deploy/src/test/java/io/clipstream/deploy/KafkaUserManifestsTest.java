package io.clipstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.clipstream.schemas.ServiceAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AclBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaUserManifestsTest {

    private static final Path USERS = K8sTree.dir().resolve(KafkaUserManifests.FILE);

    @TempDir
    Path temp;

    /** The committed file and the services' access never drift apart. */
    @Test
    void committedFileIsWhatServiceAccessGives() throws IOException {
        assertEquals(KafkaUserManifests.render(ServiceAccess.all()), Files.readString(USERS),
                USERS + " differs from ServiceAccess; regenerate it from the repository root with "
                        + "./mvnw -q -B -pl deploy -am process-classes -Puser-manifests");
    }

    /** Read back as YAML, each service is a SCRAM user of the cluster with exactly its ACLs. */
    @Test
    void eachServiceIsAScramUserWithItsOwnAcls() {
        List<JsonNode> users = Manifests.documents(USERS);
        assertEquals(ServiceAccess.all().stream().map(ServiceAccess::service).toList(),
                users.stream().map(u -> u.path("metadata").path("name").asText()).toList());
        for (JsonNode user : users) {
            ServiceAccess access = ServiceAccess.of(user.path("metadata").path("name").asText());
            assertEquals("KafkaUser", user.path("kind").asText());
            assertEquals(KafkaTopicManifests.CLUSTER, user.path("metadata").path("labels").path("strimzi.io/cluster").asText());
            assertEquals("scram-sha-512", user.path("spec").path("authentication").path("type").asText());
            assertEquals("simple", user.path("spec").path("authorization").path("type").asText());
            List<String> expected = new ArrayList<>();
            for (AclBinding acl : access.acls()) {
                expected.add(KafkaUserManifests.resourceType(acl.pattern().resourceType()) + " "
                        + acl.pattern().name() + " " + KafkaUserManifests.patternType(acl.pattern().patternType())
                        + " " + KafkaUserManifests.operation(acl.entry().operation()));
            }
            List<String> actual = new ArrayList<>();
            user.path("spec").path("authorization").path("acls").forEach(acl -> actual.add(
                    acl.path("resource").path("type").asText() + " " + acl.path("resource").path("name").asText()
                            + " " + acl.path("resource").path("patternType").asText() + " "
                            + acl.path("operations").get(0).asText()));
            assertEquals(expected, actual, access.service());
        }
        assertEquals("DescribeConfigs",
                KafkaUserManifests.operation(org.apache.kafka.common.acl.AclOperation.DESCRIBE_CONFIGS));
    }

    /** With the component, each service logs in over TLS with its own user's Secret and trusts the cluster CA. */
    @Test
    void theComponentGivesEachServiceItsOwnCredentials() throws IOException {
        Kustomize.assumeKubectl();
        Path k8s = K8sTree.copy(temp);
        Path check = Files.createDirectories(k8s.resolve("check"));
        Files.writeString(check.resolve("kustomization.yaml"),
                "resources:\n  - ../base\ncomponents:\n  - ../components/kafka-security\n");
        Manifests out = Kustomize.render(check);
        JsonNode kafka = out.ofKind("Kafka").getFirst().path("spec").path("kafka");
        assertEquals("simple", kafka.path("authorization").path("type").asText());
        List<String> scramTls = new ArrayList<>();
        kafka.path("listeners").forEach(l -> {
            if (l.path("tls").asBoolean() && l.path("authentication").path("type").asText().equals("scram-sha-512")) {
                scramTls.add(l.path("name").asText() + ":" + l.path("port").asInt());
            }
        });
        assertEquals(List.of("tls:9093"), scramTls);
        Map<String, String> workloads = Map.of("ingest", "Deployment", "trainer", "StatefulSet",
                "embedder", "Deployment", "classifier", "Deployment", "search", "StatefulSet");
        workloads.forEach((name, kind) -> {
            JsonNode container = Manifests.container(out.get(kind, name));
            String secret = null;
            for (JsonNode env : container.path("env")) {
                if (env.path("name").asText().equals("KAFKA_SASL_JAAS_CONFIG")) {
                    secret = env.path("valueFrom").path("secretKeyRef").path("name").asText();
                }
            }
            assertEquals("clipstream-" + name, secret, name);
        });
        JsonNode runtime = out.ofKind("ConfigMap").stream()
                .filter(c -> c.path("metadata").path("name").asText().startsWith("clipstream-runtime")).findFirst()
                .orElseThrow();
        assertEquals("SASL_SSL", runtime.path("data").path("KAFKA_SECURITY_PROTOCOL").asText());
        assertEquals("clipstream-kafka-bootstrap:9093", runtime.path("data").path("KAFKA_BOOTSTRAP_SERVERS").asText());
    }
}
