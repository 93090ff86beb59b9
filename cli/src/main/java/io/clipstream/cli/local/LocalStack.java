package io.clipstream.cli.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The local platform: a standalone KRaft broker and the four services, each its own JVM with its log in a run
 * folder. The pids go to {@code .clipstream/local.properties} so that {@code clipstream local down} can stop them.
 */
public final class LocalStack {

    private final Installation installation;
    private final int kafkaPort;
    private final List<LocalService> services;
    private final Path runDirectory;
    private final ServiceSettings settings;
    private final Map<String, Process> processes = new LinkedHashMap<>();

    /** The services that serve the checkpoint the run's rollout file names. */
    static final Set<String> FOLLOW_ROLLOUT = Set.of("embedder", "classifier");
    /** Ready only once a checkpoint is rolled out (no run starts with one): start-up waits for it to be live. */
    public static final String READY_AFTER_ROLLOUT = "embedder";

    public LocalStack(Installation installation, int kafkaPort, int firstServicePort) {
        this(installation, kafkaPort, firstServicePort, newRunDirectory(installation), ServiceSettings.NONE);
    }

    /** A stack in a run folder chosen by the caller, whose services get {@code settings} on top of their defaults. */
    public LocalStack(Installation installation, int kafkaPort, int firstServicePort, Path runDirectory,
            ServiceSettings settings) {
        this.installation = installation;
        this.kafkaPort = kafkaPort;
        List<LocalService> ported = new ArrayList<>();
        for (int i = 0; i < Installation.SERVICES.size(); i++) {
            ported.add(Installation.SERVICES.get(i).withPort(firstServicePort + i));
        }
        this.services = List.copyOf(ported);
        this.runDirectory = runDirectory;
        this.settings = settings;
    }

    /** A fresh run folder named after the time: each run's logs, broker data and artifacts stay apart. */
    public static Path newRunDirectory(Installation installation) {
        return installation.stateDirectory()
                .resolve("run-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    public List<LocalService> services() {
        return services;
    }

    public LocalService service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No service " + name));
    }

    public Path runDirectory() {
        return runDirectory;
    }

    /** Refuses to start over a missing build or busy ports, with what to do about it. */
    public void checkPreconditions() {
        List<String> missing = installation.missingBuildOutputs();
        if (!missing.isEmpty()) {
            throw new LocalRunException("Not built: " + String.join(", ", missing) + ". Build first: ./mvnw -B "
                    + "-DskipTests package (in " + installation.home() + ")");
        }
        List<String> busy = new ArrayList<>();
        for (int port : ports()) {
            if (!isFree(port)) {
                busy.add(Integer.toString(port));
            }
        }
        if (!busy.isEmpty()) {
            throw new LocalRunException("Port(s) " + String.join(", ", busy) + " in use: is Clipstream already "
                    + "running (clipstream local down)? Or choose others with --kafka-port/--http-port.");
        }
    }

    /** Starts the broker, waits until it has created the topics, then starts and waits for every service. */
    public void start(long timeoutSeconds, ProgressListener progress) {
        try {
            Files.createDirectories(runDirectory);
            progress.phase("broker", "starting Kafka (KRaft) on " + bootstrapServers());
            Path brokerLog = runDirectory.resolve("kafka.log");
            start("kafka", brokerCommand(), brokerLog, Map.of());
            waitFor(() -> logContains(brokerLog, "clipstream: broker ready on"), "kafka", brokerLog, timeoutSeconds);
            for (LocalService service : services) {
                progress.phase(service.name(), "starting on " + service.baseUrl());
                start(service.name(), serviceCommand(service), log(service), Map.of(
                        "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers(),
                        "DJL_OFFLINE", "true",
                        "OPT_OUT_TRACKING", "true",
                        "OMP_WAIT_POLICY", "PASSIVE"));
            }
            writeState();
            for (LocalService service : services) {
                if (service.name().equals(READY_AFTER_ROLLOUT)) {
                    waitFor(() -> Health.live(service).up(), service.name(), log(service), timeoutSeconds);
                    progress.phase(service.name(), "live (ready later)");
                } else {
                    waitFor(() -> Health.ready(service).up(), service.name(), log(service), timeoutSeconds);
                    progress.phase(service.name(), "ready");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until a started service reports ready, e.g. {@link #READY_AFTER_ROLLOUT} after a rollout. */
    public void awaitReady(String name, long timeoutSeconds) {
        LocalService service = service(name);
        waitFor(() -> Health.ready(service).up(), name, log(service), timeoutSeconds);
    }

    public Path log(LocalService service) {
        return runDirectory.resolve(service.name() + ".log");
    }

    /** Stops the services, then the broker (each with SIGTERM, then forcibly after a grace period). */
    public synchronized void stop() {
        List<String> names = new ArrayList<>(processes.keySet());
        java.util.Collections.reverse(names);
        for (String name : names) {
            stopProcess(processes.get(name).toHandle());
        }
        processes.clear();
        try {
            Files.deleteIfExists(stateFile(installation));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops a stack started elsewhere (by another {@code clipstream local up}), from its state file. */
    public static List<String> stopRecorded(Installation installation) {
        Path file = stateFile(installation);
        if (!Files.exists(file)) {
            return List.of();
        }
        Properties state = load(file);
        List<String> stopped = new ArrayList<>();
        List<String> names = new ArrayList<>(List.of(state.getProperty("order", "").split(",")));
        java.util.Collections.reverse(names);
        for (String name : names) {
            String pid = state.getProperty("pid." + name);
            if (pid != null) {
                ProcessHandle.of(Long.parseLong(pid)).ifPresent(handle -> {
                    stopProcess(handle);
                    stopped.add(name);
                });
            }
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stopped;
    }

    /** The recorded state of a running stack, or empty properties. */
    public static Properties recorded(Installation installation) {
        Path file = stateFile(installation);
        return Files.exists(file) ? load(file) : new Properties();
    }

    private List<Integer> ports() {
        List<Integer> ports = new ArrayList<>(List.of(kafkaPort, kafkaPort + 1));
        services.forEach(s -> ports.add(s.port()));
        return ports;
    }

    private List<String> brokerCommand() throws IOException {
        String classpath = Files.readString(installation.brokerClasspathFile()).strip()
                + java.io.File.pathSeparator + installation.brokerClasses();
        return List.of(javaBinary(), "-Xmx768m", "-cp", classpath, "io.clipstream.broker.StandaloneKafka",
                "--port", Integer.toString(kafkaPort), "--data", runDirectory.resolve("kafka").toString());
    }

    /** The command line a service of this stack is started with. */
    public List<String> serviceCommand(LocalService service) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx" + service.heap(),
                "--enable-native-access=ALL-UNNAMED", "-Dai.djl.offline=true",
                "-Dquarkus.http.port=" + service.port()));
        Map<String, String> properties = new TreeMap<>(runState(service));
        properties.putAll(settings.systemProperties(service.name()));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(installation.serviceJar(service).toString());
        return command;
    }

    /**
     * What a service keeps on disk lives in the run folder, as the broker's data does: a Kafka Streams state left by
     * an earlier run names offsets of topics that no longer exist, and the global store's thread dies on them.
     */
    private Map<String, String> runState(LocalService service) {
        Map<String, String> properties = new TreeMap<>(Map.of(
                "kafka-streams.state.dir", runDirectory.resolve("state").resolve(service.name()).toString(),
                "clipstream.model.store", checkpointStore(runDirectory).toUri().toString()));
        if (FOLLOW_ROLLOUT.contains(service.name())) {
            properties.put("clipstream.model.checkpoint-file", rolloutFile(runDirectory).toString());
        }
        return properties;
    }

    /** Where the trainer writes checkpoints and the embedder and classifier read them. */
    public static Path checkpointStore(Path runDirectory) {
        return runDirectory.resolve("checkpoints");
    }

    /**
     * The run's rollout manifest: {@code CLIPSTREAM_MODEL_CHECKPOINT=<version>} (the key of deploy/k8s's rollout.env)
     * rolls a checkpoint out; the embedder hot-swaps to it and the classifier preloads it.
     */
    public static Path rolloutFile(Path runDirectory) {
        return runDirectory.resolve("rollout.env");
    }

    private void start(String name, List<String> command, Path log, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(installation.home().toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        processes.put(name, builder.start());
    }

    private void writeState() throws IOException {
        Properties state = new Properties();
        state.setProperty("runDirectory", runDirectory.toString());
        state.setProperty("bootstrapServers", bootstrapServers());
        state.setProperty("order", String.join(",", processes.keySet()));
        processes.forEach((name, process) -> state.setProperty("pid." + name, Long.toString(process.pid())));
        services.forEach(s -> state.setProperty("url." + s.name(), s.baseUrl()));
        try (var out = Files.newBufferedWriter(stateFile(installation), StandardCharsets.UTF_8)) {
            state.store(out, "clipstream local up");
        }
    }

    private void waitFor(java.util.function.BooleanSupplier ready, String name, Path log, long timeoutSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        Process process = processes.get(name);
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new LocalRunException(name + " exited with code " + process.exitValue() + "; see " + log
                        + ":\n" + tail(log));
            }
            if (System.nanoTime() > deadline) {
                throw new LocalRunException(name + " not ready after " + timeoutSeconds + " s; see " + log + ":\n"
                        + tail(log));
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LocalRunException("Interrupted while waiting for " + name);
            }
        }
    }

    private static void stopProcess(ProcessHandle handle) {
        handle.destroy();
        try {
            handle.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
        }
    }

    private static boolean logContains(Path log, String text) {
        try {
            return Files.exists(log) && Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Path stateFile(Installation installation) {
        return installation.stateDirectory().resolve("local.properties");
    }

    private static Properties load(Path file) {
        Properties state = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            state.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return state;
    }

    /** Told about each phase of start-up, for a progress display. */
    public interface ProgressListener {
        void phase(String component, String message);
    }
}
