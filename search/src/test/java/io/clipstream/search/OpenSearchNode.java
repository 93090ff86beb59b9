package io.clipstream.search;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A real OpenSearch node (2.19, its k-NN plugin) in a child JVM, on the class path that module
 * {@code search/opensearch-node} lists in its jar (the k-NN plugin's distribution zip unpacked onto it): no Docker
 * needed. Listens on 127.0.0.1 only.
 */
public final class OpenSearchNode implements AutoCloseable {

    private static final String CLASSPATH = "/io/clipstream/search/node/classpath.txt";
    private static final Duration STARTUP = Duration.ofMinutes(3);
    /** Where the shared node listens, once started: a system property, which every class loader of the JVM sees. */
    private static final String SHARED_URL = "clipstream.test.opensearch.shared-url";

    private final Process process;
    private final URI url;

    private OpenSearchNode(Process process, URI url) {
        this.process = process;
        this.url = url;
    }

    public URI url() {
        return url;
    }

    /** Starts a node whose data, logs and unpacked plugin live in {@code home}; returns once it answers. */
    public static OpenSearchNode start(Path home) throws IOException, InterruptedException {
        URL listed = OpenSearchNode.class.getResource(CLASSPATH);
        if (listed == null) {
            throw new IllegalStateException(CLASSPATH + " is not on the class path: build search/opensearch-node "
                    + "(./mvnw -o -B -q install -pl search/opensearch-node)");
        }
        String classpath;
        try (InputStream in = listed.openStream()) {
            classpath = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        List<String> entries = new ArrayList<>();
        entries.add(codeSource(listed).toString());
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.endsWith(".zip")) {
                entries.addAll(unpackJars(Path.of(entry), home.resolve("plugins")));
            } else if (!entry.isBlank()) {
                entries.add(entry);
            }
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path log = home.resolve("node.log");
        Process process = new ProcessBuilder(java, "-Xms256m", "-Xmx512m", "-XX:+UseSerialGC", "-cp",
                String.join(File.pathSeparator, entries), "io.clipstream.search.node.OpenSearchNodeMain",
                home.resolve("node").toString(), Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!Files.readString(log).contains("OPENSEARCH STARTED")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String output = Files.readString(log);
                process.destroyForcibly();
                throw new IllegalStateException("the OpenSearch node did not start:\n"
                        + output.substring(Math.max(0, output.length() - 4000)));
            }
            Thread.sleep(250);
        }
        return new OpenSearchNode(process, URI.create("http://127.0.0.1:" + port));
    }

    /**
     * The node the tests of this JVM share (a start takes 15 to 25 s): started by the first test that asks, ended when
     * the JVM exits. Quarkus tests load this class again in their own class loader, so the node is known by its URL
     * in a system property; each test keeps to indexes of its own prefix.
     */
    public static URI shared() throws IOException, InterruptedException {
        synchronized (System.getProperties()) {
            String url = System.getProperty(SHARED_URL);
            if (url != null) {
                return URI.create(url);
            }
            OpenSearchNode node = start(Files.createTempDirectory("clipstream-search-opensearch-"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    node.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "opensearch-node-stop"));
            System.setProperty(SHARED_URL, node.url().toString());
            return node.url();
        }
    }

    /** The jar (or classes folder) a resource was found in. */
    private static Path codeSource(URL resource) throws IOException {
        String spec = resource.toString();
        if (spec.startsWith("jar:")) {
            return Path.of(URI.create(spec.substring(4, spec.indexOf("!/"))));
        }
        Path root = Path.of(URI.create(spec));
        for (int i = 0; i < CLASSPATH.split("/").length - 1; i++) {
            root = root.getParent();
        }
        return root;
    }

    private static List<String> unpackJars(Path zip, Path folder) throws IOException {
        List<String> jars = new ArrayList<>();
        Files.createDirectories(folder);
        try (ZipFile distribution = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = distribution.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (!entry.isDirectory() && entry.getName().endsWith(".jar")) {
                    Path jar = folder.resolve(Path.of(entry.getName()).getFileName().toString());
                    try (InputStream in = distribution.getInputStream(entry)) {
                        Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
                    }
                    jars.add(jar.toString());
                }
            }
        }
        return jars;
    }

    /** Ends the node's process (it closes the node on the way out). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
