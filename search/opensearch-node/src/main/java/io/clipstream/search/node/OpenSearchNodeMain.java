package io.clipstream.search.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.painless.PainlessPlugin;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * A single OpenSearch node on 127.0.0.1 with the k-NN plugin, its plugins on the class path (as OpenSearch's own
 * test nodes load them): {@code OpenSearchNodeMain <home> <http-port>}. Prints {@code OPENSEARCH STARTED <port>}
 * once it answers; runs until the process is ended.
 */
public final class OpenSearchNodeMain {

    private OpenSearchNodeMain() {
    }

    /** Node's constructor that takes class-path plugins is protected. */
    private static final class ClasspathNode extends Node {
        ClasspathNode(Environment environment, List<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        Files.createDirectories(home.resolve("config"));
        Settings settings = Settings.builder()
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("path.logs", home.resolve("logs").toString())
                .put("cluster.name", "clipstream-test")
                .put("node.name", "node-0")
                .put("discovery.type", "single-node")
                .put("network.host", "127.0.0.1")
                .put("http.port", port)
                .put("transport.port", 0)
                // A test node on a shared machine: no disk watermarks blocking writes on a full-ish disk.
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .build();
        Environment environment = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(),
                home.resolve("config"), () -> "node-0");
        // k-NN comes as a distribution zip (its jars unpacked onto the class path by whoever starts this): by name.
        Class<? extends Plugin> knn = Class.forName("org.opensearch.knn.plugin.KNNPlugin").asSubclass(Plugin.class);
        Node node = new ClasspathNode(environment, List.of(Netty4Plugin.class, PainlessPlugin.class, knn));
        node.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                node.close();
            } catch (Exception e) {
                // the process ends either way
            }
        }));
        System.out.println("OPENSEARCH STARTED " + port);
        System.out.flush();
        Thread.currentThread().join();
    }
}
