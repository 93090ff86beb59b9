package io.clipstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every file under deploy/k8s is readable YAML of Kubernetes objects, and each is used by a kustomization. */
class ManifestFilesTest {

    @Test
    void everyDocumentIsAKubernetesObject() {
        List<Path> files = Manifests.yamlFiles(K8sTree.dir());
        assertTrue(files.size() >= 15, "found only " + files);
        for (Path file : files) {
            List<JsonNode> docs = Manifests.documents(file);
            assertFalse(docs.isEmpty(), file + " holds no document");
            for (JsonNode doc : docs) {
                String where = file + ": " + doc.path("kind").asText("?");
                assertTrue(doc.path("apiVersion").isTextual() && !doc.path("apiVersion").asText().isBlank(),
                        where + " has no apiVersion");
                assertTrue(doc.path("kind").isTextual() && !doc.path("kind").asText().isBlank(), where + " has no kind");
                if (Manifests.isKustomization(file)) {
                    String type = doc.path("apiVersion").asText() + " " + doc.path("kind").asText();
                    assertTrue(Set.of("kustomize.config.k8s.io/v1beta1 Kustomization",
                            "kustomize.config.k8s.io/v1alpha1 Component").contains(type), where + " is " + type);
                } else {
                    assertTrue(doc.path("metadata").path("name").isTextual()
                            && !doc.path("metadata").path("name").asText().isBlank(), where + " has no metadata.name");
                }
            }
        }
    }

    @Test
    void everyFileAKustomizationNamesExists() {
        for (Path kustomization : kustomizations()) {
            for (Path ref : references(kustomization)) {
                assertTrue(Files.exists(ref), kustomization + " names " + ref + ", which does not exist");
                if (Files.isDirectory(ref)) {
                    assertTrue(Files.isRegularFile(ref.resolve("kustomization.yaml")),
                            kustomization + " names " + ref + ", which has no kustomization.yaml");
                }
            }
        }
    }

    /** A manifest no kustomization names is never applied: almost certainly a mistake. */
    @Test
    void everyManifestAndEnvFileIsUsed() throws IOException {
        Set<Path> used = new TreeSet<>();
        for (Path kustomization : kustomizations()) {
            used.addAll(references(kustomization));
        }
        Set<Path> unused = new TreeSet<>();
        try (Stream<Path> files = Files.walk(K8sTree.dir())) {
            files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".env"))
                    .filter(f -> !Manifests.isKustomization(f))
                    .map(ManifestFilesTest::normal)
                    .filter(f -> !used.contains(f))
                    .forEach(unused::add);
        }
        assertEquals(Set.of(), unused, "files no kustomization uses");
    }

    private static List<Path> kustomizations() {
        return Manifests.yamlFiles(K8sTree.dir()).stream().filter(Manifests::isKustomization).toList();
    }

    /** Resources, components, patch files and generator inputs, as normalised paths. */
    private static List<Path> references(Path kustomization) {
        JsonNode k = Manifests.documents(kustomization).getFirst();
        Path dir = kustomization.getParent();
        List<Path> refs = new ArrayList<>();
        k.path("resources").forEach(r -> refs.add(normal(dir.resolve(r.asText()))));
        k.path("components").forEach(c -> refs.add(normal(dir.resolve(c.asText()))));
        k.path("patches").forEach(p -> {
            if (p.has("path")) {
                refs.add(normal(dir.resolve(p.path("path").asText())));
            }
        });
        k.path("configMapGenerator").forEach(g -> {
            g.path("envs").forEach(e -> refs.add(normal(dir.resolve(e.asText()))));
            g.path("files").forEach(f -> refs.add(normal(dir.resolve(f.asText()))));
        });
        return refs;
    }

    private static Path normal(Path path) {
        return path.toAbsolutePath().normalize();
    }
}
