package io.clipstream.deploy;

import io.clipstream.schemas.Topics;
import io.clipstream.schemas.Topics.TopicSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Writes the topic catalog as Strimzi {@code KafkaTopic}s ({@value #FILE} under {@code deploy/k8s}), so that the
 * cluster's topics are the catalog's, partitions and configs alike. The file is committed; a test fails while it
 * and the catalog disagree.
 */
public final class KafkaTopicManifests {

    /** The Strimzi {@code Kafka} the topics belong to (base/kafka/kafka.yaml). */
    public static final String CLUSTER = "clipstream";
    /** Production's replication factor; overlays/dev patches every topic to 1. */
    public static final int REPLICAS = 3;
    /** The generated file, relative to deploy/k8s. */
    public static final String FILE = "base/kafka/topics.yaml";

    // metadata.name must be a DNS subdomain; starting with a letter also keeps it a plain YAML string.
    private static final Pattern RESOURCE_NAME = Pattern.compile("[a-z]([a-z0-9.-]{0,251}[a-z0-9])?");

    private static final String HEADER = """
            # GENERATED from the topic catalog (io.clipstream.schemas.Topics) by io.clipstream.deploy.KafkaTopicManifests:
            # do not edit. After changing the catalog, regenerate from the repository root with
            #   ./mvnw -q -B -pl deploy -am process-classes -Ptopic-manifests
            # KafkaTopicManifestsTest fails while this file and the catalog disagree.
            #
            # replicas is production's; overlays/dev sets 1. min.insync.replicas comes from the cluster (kafka.yaml).
            # spec.topicName pins the Kafka topic name even where a kustomization prefixes resource names.
            """;

    private KafkaTopicManifests() {
    }

    /** The YAML for these topics, deterministic: catalog order, configs sorted by key. */
    public static String render(List<TopicSpec> topics) {
        StringBuilder yaml = new StringBuilder(HEADER);
        for (TopicSpec topic : topics) {
            if (!RESOURCE_NAME.matcher(topic.name()).matches()) {
                throw new IllegalArgumentException("Topic " + topic.name() + " is not a valid Kubernetes name");
            }
            yaml.append("---\n")
                    .append("apiVersion: kafka.strimzi.io/v1beta2\n")
                    .append("kind: KafkaTopic\n")
                    .append("metadata:\n")
                    .append("  name: ").append(topic.name()).append('\n')
                    .append("  labels:\n")
                    .append("    strimzi.io/cluster: ").append(CLUSTER).append('\n')
                    .append("spec:\n")
                    .append("  topicName: ").append(topic.name()).append('\n')
                    .append("  partitions: ").append(topic.partitions()).append('\n')
                    .append("  replicas: ").append(REPLICAS).append('\n')
                    .append("  config:\n");
            for (Map.Entry<String, String> config : new TreeMap<>(topic.configs()).entrySet()) {
                yaml.append("    ").append(config.getKey()).append(": ").append(quoted(config.getValue())).append('\n');
            }
        }
        return yaml.toString();
    }

    /** Topic configs are strings to Kafka; quoting keeps YAML from reading "604800000" or "true" as other types. */
    private static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** Writes the catalog's topics to the file given as the one argument. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("Usage: KafkaTopicManifests <path of " + FILE + ">");
        }
        Path out = Path.of(args[0]);
        Files.writeString(out, render(Topics.all()));
        System.out.println("Wrote " + Topics.all().size() + " KafkaTopics to " + out);
    }
}
