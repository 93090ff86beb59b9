package io.clipstream.search.stream;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-process twin of {@link OpenSearchIndexerContainerTest}: {@link OpenSearchIndexerScenario} against a real
 * OpenSearch node (2.19, its k-NN plugin, the lucene engine) that Maven's artifacts start in a child JVM on their
 * own class path (module {@code search/opensearch-node}), no Docker needed.
 */
class OpenSearchNodeTest {

    private static final String CLASSPATH = "/io/clipstream/search/node/classpath.txt";
    private static final Duration STARTUP = Duration.ofMinutes(3);

    @TempDir
    static Path home;

    private static Process node;
    private static URI url;

    @BeforeAll
    static void startNode() throws Exception {
        URL listed = OpenSearchNodeTest.class.getResource(CLASSPATH);
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
        node = new ProcessBuilder(java, "-Xms256m", "-Xmx512m", "-XX:+UseSerialGC", "-cp",
                String.join(File.pathSeparator, entries), "io.clipstream.search.node.OpenSearchNodeMain",
                home.resolve("node").toString(), Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (!Files.readString(log).contains("OPENSEARCH STARTED")) {
            if (!node.isAlive() || System.nanoTime() > deadline) {
                String output = Files.readString(log);
                node.destroyForcibly();
                throw new IllegalStateException("the OpenSearch node did not start:\n"
                        + output.substring(Math.max(0, output.length() - 4000)));
            }
            Thread.sleep(250);
        }
        url = URI.create("http://127.0.0.1:" + port);
    }

    /** The jar (or classes folder) a resource was found in. */
    private static Path codeSource(URL resource) throws Exception {
        String spec = resource.toString();
        if (spec.startsWith("jar:")) {
            return Path.of(URI.create(spec.substring(4, spec.indexOf("!/"))));
        }
        Path file = Path.of(resource.toURI());
        Path root = file;
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

    @AfterAll
    static void stopNode() throws InterruptedException {
        if (node != null) {
            node.destroy();
            if (!node.waitFor(30, TimeUnit.SECONDS)) {
                node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void embeddingsAreFoundAndOffsetsFollowOnlyAcknowledgedBulkWrites() throws Exception {
        new OpenSearchIndexerScenario(url).run();
    }
}
