package io.clipstream.deploy;

import io.clipstream.schemas.ServiceAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Writes one Strimzi {@code KafkaUser} per service ({@value #FILE} under {@code deploy/k8s}): SCRAM-SHA-512
 * authentication and {@code simple} authorization with exactly the ACLs of {@link ServiceAccess#acls()}, the same
 * ones the secured test broker enforces. Strimzi keeps each user's password and {@code sasl.jaas.config} in a Secret
 * of the user's name. The file is committed; a test fails while it and the catalog disagree.
 */
public final class KafkaUserManifests {

    /** The generated file, relative to deploy/k8s. */
    public static final String FILE = "components/kafka-security/users.yaml";

    private static final String HEADER = """
            # GENERATED from the services' access (io.clipstream.schemas.ServiceAccess) by
            # io.clipstream.deploy.KafkaUserManifests: do not edit. After changing it, regenerate from the repository root with
            #   ./mvnw -q -B -pl deploy -am process-classes -Puser-manifests
            # KafkaUserManifestsTest fails while this file and ServiceAccess disagree.
            """;

    private KafkaUserManifests() {
    }

    /** The YAML for these services' users, deterministic: catalog order, ACLs in ServiceAccess's order. */
    public static String render(List<ServiceAccess> services) {
        StringBuilder yaml = new StringBuilder(HEADER);
        for (ServiceAccess access : services) {
            yaml.append("---\n")
                    .append("apiVersion: kafka.strimzi.io/v1beta2\n")
                    .append("kind: KafkaUser\n")
                    .append("metadata:\n")
                    .append("  name: ").append(access.service()).append('\n')
                    .append("  labels:\n")
                    .append("    strimzi.io/cluster: ").append(KafkaTopicManifests.CLUSTER).append('\n')
                    .append("spec:\n")
                    .append("  authentication:\n")
                    .append("    type: scram-sha-512\n")
                    .append("  authorization:\n")
                    .append("    type: simple\n")
                    .append("    acls:\n");
            for (AclBinding acl : access.acls()) {
                yaml.append("      - resource:\n")
                        .append("          type: ").append(resourceType(acl.pattern().resourceType())).append('\n')
                        .append("          name: ").append(acl.pattern().name()).append('\n')
                        .append("          patternType: ").append(patternType(acl.pattern().patternType())).append('\n')
                        .append("        operations:\n")
                        .append("          - ").append(operation(acl.entry().operation())).append('\n')
                        .append("        host: \"*\"\n");
            }
        }
        return yaml.toString();
    }

    static String resourceType(ResourceType type) {
        return switch (type) {
            case TOPIC -> "topic";
            case GROUP -> "group";
            case TRANSACTIONAL_ID -> "transactionalId";
            case CLUSTER -> "cluster";
            default -> throw new IllegalArgumentException("No Strimzi resource type for " + type);
        };
    }

    static String patternType(PatternType type) {
        return switch (type) {
            case LITERAL -> "literal";
            case PREFIXED -> "prefix";
            default -> throw new IllegalArgumentException("No Strimzi pattern type for " + type);
        };
    }

    /** Strimzi's operation names: Kafka's in CamelCase ({@code READ} → {@code Read}, {@code ALL} → {@code All}). */
    static String operation(AclOperation operation) {
        StringBuilder name = new StringBuilder();
        for (String word : operation.name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }

    /** Writes the services' users to the file given as the one argument. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("Usage: KafkaUserManifests <path of " + FILE + ">");
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out.getParent());
        Files.writeString(out, render(ServiceAccess.all()));
        System.out.println("Wrote " + ServiceAccess.all().size() + " KafkaUsers to " + out);
    }
}
