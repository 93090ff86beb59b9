package io.clipstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.w3c.dom.Element;

/**
 * The images the manifests run are the ones the services' builds make: {@code group/name:tag} of each service's
 * {@code quarkus.container-image.*}, its {@code src/main/docker/Dockerfile.jvm}, and for the production trainer the
 * CUDA variant ({@code Dockerfile.jvm-cuda}, the tag with {@code -cuda}).
 */
class ContainerImagesTest {

    private static final List<String> SERVICES = K8sTree.HTTP_WORKLOADS;
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}:]+)(?::([^}]*))?}");

    private final Manifests base = Manifests.under(K8sTree.dir().resolve("base"));

    @ParameterizedTest
    @FieldSource("SERVICES")
    void theBaseRunsTheImageTheServicesBuildMakes(String service) {
        String built = builtImage(service);
        String name = built.substring(0, built.lastIndexOf(':'));
        assertEquals(name, Manifests.container(base.workload(service)).path("image").asText(),
                "base/" + service + ".yaml runs another image than " + service + "'s build makes");
        assertEquals(Optional.of(built), taggedImage(K8sTree.dir().resolve("base/kustomization.yaml"), name),
                "base/kustomization.yaml tags " + name + " otherwise than " + service + "'s build");
        Path dockerfile = Path.of("..", service, "src", "main", "docker", "Dockerfile.jvm");
        assertTrue(Files.isRegularFile(dockerfile), dockerfile + " builds the image");
        assertTrue(read(dockerfile).contains("COPY --chown=185 target/quarkus-app/"), dockerfile + ": the fast jar");
        assertTrue(read(dockerfile).contains("USER 185"), dockerfile + ": non-root");
    }

    @Test
    void productionRunsTheCudaTrainerOnItsGpuNodes() {
        String built = builtImage("trainer");
        String name = built.substring(0, built.lastIndexOf(':'));
        assertEquals(Optional.of(built + "-cuda"),
                taggedImage(K8sTree.dir().resolve("overlays/production/kustomization.yaml"), name));
        Path cuda = Path.of("..", "trainer", "src", "main", "docker", "Dockerfile.jvm-cuda");
        String dockerfile = read(cuda);
        assertTrue(dockerfile.contains("ENV PYTORCH_LIBRARY_PATH="), cuda + " points DJL at the base's libtorch");
        assertTrue(dockerfile.contains("DJL_OFFLINE=true"), cuda + " never downloads natives");
        assertTrue(dockerfile.contains("USER 185"), cuda + ": the manifests run as 185");
        Optional<String> devTrainer = taggedImage(K8sTree.dir().resolve("overlays/dev/kustomization.yaml"), name);
        assertTrue(devTrainer.isEmpty() || devTrainer.get().equals(built), "dev runs the CPU trainer: " + devTrainer);
    }

    /** {@code group/name:tag} as the service's application.properties names its image. */
    private static String builtImage(String service) {
        Properties props = K8sTree.applicationProperties(service);
        String group = props.getProperty("quarkus.container-image.group");
        String name = props.getProperty("quarkus.container-image.name");
        String tag = props.getProperty("quarkus.container-image.tag");
        assertTrue(group != null && name != null && tag != null,
                service + "'s application.properties names no quarkus.container-image.group/name/tag");
        return resolved(group) + "/" + resolved(name) + ":" + resolved(tag);
    }

    /** {@code ${quarkus.application.version}} is the project's version, as Quarkus sets it at build time. */
    private static String resolved(String value) {
        Matcher m = EXPRESSION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String replacement = switch (key) {
                case "quarkus.application.version" -> projectVersion();
                default -> m.group(2) != null ? m.group(2) : m.group(0);
            };
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        return m.appendTail(out).toString();
    }

    private static String projectVersion() {
        try {
            Element project = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(Path.of("..", "pom.xml").toFile()).getDocumentElement();
            return project.getElementsByTagName("version").item(0).getTextContent().strip();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the project version from ../pom.xml", e);
        }
    }

    /** name:newTag of {@code name} in a kustomization's images, if it tags it. */
    private static Optional<String> taggedImage(Path kustomization, String name) {
        JsonNode doc = Manifests.documents(kustomization).getFirst();
        for (JsonNode image : doc.path("images")) {
            if (image.path("name").asText().equals(name) && !image.path("newTag").asText().isBlank()) {
                String newName = image.path("newName").asText(name);
                return Optional.of(newName + ":" + image.path("newTag").asText());
            }
        }
        return Optional.empty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }
}
