package io.clipstream.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The committed deploy/k8s tree, and the repository around it, as the tests see them (Surefire runs in deploy/). */
final class K8sTree {

    static final Path DIR = Path.of("k8s");

    /** The services: each module's name is its workload, Service and container name in the manifests. */
    static final List<String> SERVICES = List.of("ingest", "trainer", "embedder", "classifier", "search");

    /** The web console: served like the services, but it reads no Kafka and no checkpoint, only their HTTP APIs. */
    static final String CONSOLE = "console";

    /** Every workload that serves HTTP (port, probes, hardening, image): the services and the console. */
    static final List<String> HTTP_WORKLOADS = List.of("ingest", "trainer", "embedder", "classifier", "search", CONSOLE);

    private K8sTree() {
    }

    static Path dir() {
        assertTrue(Files.isDirectory(DIR), "Tests run in the deploy module, next to k8s/: " + DIR.toAbsolutePath());
        return DIR;
    }

    /** A copy of the tree to edit and render, so no test touches the committed files. */
    static Path copy(Path into) {
        Path target = into.resolve("k8s");
        try (Stream<Path> files = Files.walk(dir())) {
            for (Path source : files.toList()) {
                Path copy = target.resolve(dir().relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(source, copy);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /** A service's own application.properties, where its HTTP port and application name are set. */
    static Properties applicationProperties(String service) {
        Path file = Path.of("..", service, "src", "main", "resources", "application.properties");
        Properties props = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return props;
    }

    /** A kustomize env file as a map (no duplicate keys allowed). */
    static Map<String, String> env(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .map(l -> l.split("=", 2))
                    .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
