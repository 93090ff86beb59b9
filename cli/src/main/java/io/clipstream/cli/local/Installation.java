package io.clipstream.cli.local;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A built Clipstream checkout: where the broker's classpath and the services' runnable jars are. Found from the
 * location of {@code cli/target/clipstream.jar}, or from {@code --home}/{@code CLIPSTREAM_HOME}.
 */
public record Installation(Path home) {

    /** The services in start order, with their default HTTP ports. */
    public static final List<LocalService> SERVICES = List.of(
            new LocalService("ingest", 8081, "768m"),
            new LocalService("trainer", 8082, "3g"),
            new LocalService("embedder", 8083, "1536m"),
            new LocalService("classifier", 8084, "1536m"),
            new LocalService("search", 8086, "768m"),
            new LocalService("console", 8085, "256m"));

    /** The first default port; every service's port is {@code --http-port} plus its offset from this one. */
    public static final int FIRST_PORT = 8081;

    /**
     * How many ports the first instances span from {@code --http-port}: up to search's 8086, the console's 8085
     * included; extra replicas take the ports after.
     */
    public static int portSpan() {
        return SERVICES.stream().mapToInt(LocalService::port).max().orElse(FIRST_PORT) - FIRST_PORT + 1;
    }

    public static Installation locate(Path override) {
        if (override != null) {
            return new Installation(override.toAbsolutePath().normalize());
        }
        String env = System.getenv("CLIPSTREAM_HOME");
        if (env != null && !env.isBlank()) {
            return new Installation(Path.of(env).toAbsolutePath().normalize());
        }
        try {
            Path jar = Path.of(Installation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // cli/target/clipstream.jar (or cli/target/classes in a build) → the checkout root.
            Path candidate = jar.getParent().getParent().getParent();
            if (candidate != null && Files.exists(candidate.resolve("broker"))) {
                return new Installation(candidate);
            }
        } catch (URISyntaxException | NullPointerException e) {
            // fall through to the working directory
        }
        return new Installation(Path.of("").toAbsolutePath());
    }

    public Path brokerClasspathFile() {
        return home.resolve("broker/target/broker.classpath");
    }

    public Path brokerClasses() {
        return home.resolve("broker/target/classes");
    }

    public Path serviceJar(LocalService service) {
        return home.resolve(service.name()).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public Path stateDirectory() {
        return home.resolve(".clipstream");
    }

    /** What is missing for a local run, as messages a person can act on; empty when all is built. */
    public List<String> missingBuildOutputs() {
        return missingBuildOutputs(SERVICES.stream().map(LocalService::name).toList());
    }

    /** As {@link #missingBuildOutputs()}, for a run of the broker and only {@code serviceNames}. */
    public List<String> missingBuildOutputs(List<String> serviceNames) {
        List<String> missing = new ArrayList<>();
        if (!Files.exists(brokerClasspathFile()) || !Files.isDirectory(brokerClasses())) {
            missing.add("the broker (" + home.relativize(brokerClasspathFile()) + ")");
        }
        for (LocalService service : SERVICES) {
            if (serviceNames.contains(service.name()) && !Files.exists(serviceJar(service))) {
                missing.add("the " + service.name() + " service (" + home.relativize(serviceJar(service)) + ")");
            }
        }
        return missing;
    }
}
