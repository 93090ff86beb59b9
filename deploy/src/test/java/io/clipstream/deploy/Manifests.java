package io.clipstream.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Kubernetes objects read from YAML (files or `kubectl kustomize` output) with Jackson. */
final class Manifests {

    static final ObjectMapper YAML = new YAMLMapper();

    private final List<JsonNode> objects;

    private Manifests(List<JsonNode> objects) {
        this.objects = objects;
    }

    /** Every document of every YAML file under dir except the kustomizations. */
    static Manifests under(Path dir) {
        List<JsonNode> all = new ArrayList<>();
        for (Path file : yamlFiles(dir)) {
            if (!isKustomization(file)) {
                all.addAll(documents(file));
            }
        }
        return new Manifests(all);
    }

    static Manifests parse(String yaml) {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            return new Manifests(nonEmpty(docs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<JsonNode> documents(Path file) {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            return nonEmpty(docs);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse " + file, e);
        }
    }

    static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isKustomization(Path file) {
        return file.getFileName().toString().equals("kustomization.yaml");
    }

    private static List<JsonNode> nonEmpty(MappingIterator<JsonNode> docs) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        while (docs.hasNextValue()) {
            JsonNode doc = docs.nextValue();
            if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                out.add(doc);
            }
        }
        return out;
    }

    List<JsonNode> all() {
        return objects;
    }

    List<JsonNode> ofKind(String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asText())).findFirst();
    }

    JsonNode get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError("No " + kind + " " + name));
    }

    /** A ConfigMap that kustomize generated from `name`: the name plus a dash and a content hash. */
    JsonNode generatedConfigMap(String name) {
        List<JsonNode> matches = ofKind("ConfigMap").stream()
                .filter(c -> c.path("metadata").path("name").asText().matches(name + "-[a-z0-9]{10}"))
                .toList();
        if (matches.size() != 1) {
            throw new AssertionError("Expected one generated ConfigMap " + name + "-<hash>, found " + matches.size());
        }
        return matches.getFirst();
    }

    /** The Deployment or StatefulSet of that name. */
    JsonNode workload(String name) {
        return find("Deployment", name).or(() -> find("StatefulSet", name))
                .orElseThrow(() -> new AssertionError("No workload " + name));
    }

    /** The kinds whose objects run pods, each with a pod template. */
    static final List<String> WORKLOAD_KINDS = List.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job",
            "CronJob");

    /** Every object that runs pods: Deployments, StatefulSets, Jobs, … */
    List<JsonNode> workloads() {
        return objects.stream().filter(o -> WORKLOAD_KINDS.contains(o.path("kind").asText())).toList();
    }

    /** The pod template of a workload (a CronJob's is one level further down). */
    static JsonNode podTemplate(JsonNode workload) {
        JsonNode spec = workload.path("spec");
        return "CronJob".equals(workload.path("kind").asText())
                ? spec.path("jobTemplate").path("spec").path("template")
                : spec.path("template");
    }

    /**
     * Whether a Kubernetes label selector (matchLabels and matchExpressions) selects an object with these labels.
     * An empty selector selects everything, as in a NetworkPolicy's podSelector.
     */
    static boolean selects(JsonNode selector, JsonNode labels) {
        var matchLabels = selector.path("matchLabels").properties().iterator();
        while (matchLabels.hasNext()) {
            var label = matchLabels.next();
            if (!label.getValue().asText().equals(labels.path(label.getKey()).asText(null))) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String value = labels.path(expression.path("key").asText()).asText(null);
            List<String> values = new ArrayList<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            boolean matches = switch (expression.path("operator").asText()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new AssertionError("Unknown selector operator in " + expression);
            };
            if (!matches) {
                return false;
            }
        }
        return true;
    }

    static JsonNode podSpec(JsonNode workload) {
        return workload.path("spec").path("template").path("spec");
    }

    /** The container named like the workload's app (each pod has one). */
    static JsonNode container(JsonNode workload) {
        JsonNode containers = podSpec(workload).path("containers");
        if (containers.size() != 1) {
            throw new AssertionError(workload.path("metadata").path("name") + " should have one container");
        }
        return containers.get(0);
    }

    /** The names of the ConfigMaps a container takes its environment from. */
    static List<String> envFromConfigMaps(JsonNode container) {
        List<String> names = new ArrayList<>();
        container.path("envFrom").forEach(e -> names.add(e.path("configMapRef").path("name").asText()));
        return names;
    }

    static Optional<String> envValue(JsonNode container, String name) {
        for (JsonNode e : container.path("env")) {
            if (name.equals(e.path("name").asText()) && e.has("value")) {
                return Optional.of(e.path("value").asText());
            }
        }
        return Optional.empty();
    }
}
