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
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The local platform: a standalone KRaft broker, the five services and the web console, each its own JVM with its log in a run
 * folder. The run folder records each process ({@link RunProcesses}: pid and launch, kept current by restarts) and
 * {@code .clipstream/local.properties} names the running run, so that {@code clipstream local status|restart|down}
 * find them from another process. Services listen on {@value #DEFAULT_BIND} unless told otherwise.
 */
public final class LocalStack {

    /** Where the services listen by default: this machine only, as the broker does. */
    public static final String DEFAULT_BIND = "127.0.0.1";
    static final String BROKER = "kafka";

    private final Installation installation;
    private final int kafkaPort;
    private final List<LocalService> services;
    private final Path runDirectory;
    private ServiceSettings settings;
    /** Whether start-up names this run the installation's running one, for {@code local status|restart|down}. */
    private final boolean recorded;
    private final String bindAddress;
    private final RunProcesses run;
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private String operatorToken;

    /** The services that serve the checkpoint the run's rollout file names. */
    static final Set<String> FOLLOW_ROLLOUT = Set.of("embedder", "classifier", "search");
    /** Search: its index (and the stream positions in it) lives in the run folder too. */
    public static final String SEARCH = "search";
    /** The web console: it reaches the other services' first instances through its proxy. */
    public static final String CONSOLE = "console";
    /** Ready only once a checkpoint is rolled out (no run starts with one): start-up waits for it to be live. */
    public static final String READY_AFTER_ROLLOUT = "embedder";

    public LocalStack(Installation installation, int kafkaPort, int firstServicePort) {
        this(installation, kafkaPort, firstServicePort, newRunDirectory(installation), ServiceSettings.NONE);
    }

    /** A stack in a run folder chosen by the caller, whose services get {@code settings} on top of their defaults. */
    public LocalStack(Installation installation, int kafkaPort, int firstServicePort, Path runDirectory,
            ServiceSettings settings) {
        this(installation, kafkaPort, firstServicePort, runDirectory, settings, DEFAULT_BIND);
    }

    /** As above, the services' HTTP listening on {@code bindAddress} ({@code quarkus.http.host}). */
    public LocalStack(Installation installation, int kafkaPort, int firstServicePort, Path runDirectory,
            ServiceSettings settings, String bindAddress) {
        this(installation, kafkaPort, firstServicePort, runDirectory, settings, bindAddress, Replicas.NONE);
    }

    /**
     * As above, with {@code replicas} instances of some services. The first instances keep the ports of a run
     * without replicas; the others take the ports after the last service's, in the order of the services.
     */
    public LocalStack(Installation installation, int kafkaPort, int firstServicePort, Path runDirectory,
            ServiceSettings settings, String bindAddress, Replicas replicas) {
        this(installation, kafkaPort, firstServicePort, runDirectory, settings, bindAddress, replicas,
                Installation.SERVICES.stream().map(LocalService::name).toList(), true);
    }

    /**
     * The broker and only the services named (at the ports a full run gives them), in a run that is not recorded as
     * the installation's running one: for a command that starts a stack of its own for a while, beside any
     * {@code local up} (which {@code local status|restart|down} keep finding), e.g. {@code bench --through-kafka}.
     */
    public static LocalStack partial(Installation installation, int kafkaPort, int firstServicePort, Path runDirectory,
            ServiceSettings settings, List<String> serviceNames) {
        for (String name : serviceNames) {
            if (Installation.SERVICES.stream().noneMatch(s -> s.name().equals(name))) {
                throw new IllegalArgumentException("No service " + name);
            }
        }
        return new LocalStack(installation, kafkaPort, firstServicePort, runDirectory, settings, DEFAULT_BIND,
                Replicas.NONE, serviceNames, false);
    }

    private LocalStack(Installation installation, int kafkaPort, int firstServicePort, Path runDirectory,
            ServiceSettings settings, String bindAddress, Replicas replicas, List<String> serviceNames,
            boolean recorded) {
        this.installation = installation;
        this.kafkaPort = kafkaPort;
        List<LocalService> ported = new ArrayList<>();
        int nextExtraPort = firstServicePort + Installation.portSpan();
        for (LocalService service : Installation.SERVICES) {
            if (!serviceNames.contains(service.name())) {
                continue;
            }
            LocalService first = service.withPort(firstServicePort + service.port() - Installation.FIRST_PORT)
                    .withHost(clientHost(bindAddress));
            ported.add(first);
            for (int n = 2; n <= replicas.of(first.name()); n++) {
                ported.add(first.replica(n, nextExtraPort++));
            }
        }
        this.services = List.copyOf(ported);
        this.runDirectory = runDirectory;
        this.settings = settings;
        this.bindAddress = bindAddress;
        this.run = new RunProcesses(runDirectory);
        this.recorded = recorded;
    }

    /** Where a client reaches a service listening on {@code bindAddress}: loopback for "every interface". */
    static String clientHost(String bindAddress) {
        return bindAddress.equals("0.0.0.0") || bindAddress.equals("::") || bindAddress.equals("[::]")
                ? DEFAULT_BIND : bindAddress;
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

    /** A service instance by its instance name ({@code embedder}, {@code embedder-2}) or group instance id. */
    public LocalService service(String name) {
        return services.stream().filter(s -> s.isNamed(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No service " + name));
    }

    public Path runDirectory() {
        return runDirectory;
    }

    /** Refuses to start over a missing build or busy ports, with what to do about it. */
    public void checkPreconditions() {
        List<String> missing = installation.missingBuildOutputs(services.stream().map(LocalService::name).toList());
        if (!missing.isEmpty()) {
            throw new LocalRunException("Not built: " + String.join(", ", missing) + ". Build first: ./mvnw -B "
                    + "-DskipTests package (in " + installation.home() + ")");
        }
        List<String> busy = new ArrayList<>();
        for (int port : List.of(kafkaPort, kafkaPort + 1)) {
            if (!isFree(DEFAULT_BIND, port)) {
                busy.add(Integer.toString(port));
            }
        }
        for (LocalService service : services) {
            if (!isFree(bindAddress, service.port())) {
                busy.add(Integer.toString(service.port()));
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
            operatorToken = OperatorToken.establish(runDirectory, System.getenv());
            progress.phase("broker", "starting Kafka (KRaft) on " + bootstrapServers());
            Path brokerLog = runDirectory.resolve("kafka.log");
            start(BROKER, brokerCommand(), brokerLog, Map.of());
            waitFor(() -> logContains(brokerLog, "clipstream: broker ready on"), processes.get(BROKER), BROKER,
                    brokerLog, timeoutSeconds);
            for (LocalService service : services) {
                progress.phase(service.instanceName(), "starting on " + service.baseUrl());
                start(service.instanceName(), serviceCommand(service), log(service), serviceEnvironment(service));
            }
            if (recorded) {
                writeState();
            }
            for (LocalService service : services) {
                progress.phase(service.instanceName(), awaitStarted(service, processes.get(service.instanceName()),
                        log(service), timeoutSeconds));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops one service of this run and starts it again with {@code newSettings} on top of its defaults (they replace
     * the run's settings for every later start), then waits as start-up does; returns what it saw.
     */
    public String restart(String name, ServiceSettings newSettings, long timeoutSeconds) {
        LocalService service = service(name);
        Process process;
        synchronized (this) { // not while it waits: a stop (Ctrl-C) need not wait for the start
            run.stop(service.instanceName());
            settings = newSettings;
            start(service.instanceName(), serviceCommand(service), log(service), serviceEnvironment(service));
            process = processes.get(service.instanceName());
        }
        return awaitStarted(service, process, log(service), timeoutSeconds);
    }

    /** The operator token the services of this run accept (set by {@link #start}). */
    public String operatorToken() {
        if (operatorToken == null) {
            throw new IllegalStateException("the run has not started");
        }
        return operatorToken;
    }

    /**
     * The console's address with the run's operator token in the fragment ({@code #token=}), which the browser keeps
     * to itself: the page takes it into its session and never sends it in a query string. {@code page} is one of the
     * console's pages ({@code ""} for Try it, {@code live.html}, ...).
     */
    public String consoleUrl(String page) {
        return service(CONSOLE).baseUrl() + "/" + page + "#token=" + operatorToken();
    }

    /** Where the run keeps its operator token (owner-only). */
    public Path operatorTokenFile() {
        return OperatorToken.tokenFile(runDirectory);
    }

    /** Waits until a started service reports ready, e.g. {@link #READY_AFTER_ROLLOUT} after a rollout. */
    public void awaitReady(String name, long timeoutSeconds) {
        LocalService service = service(name);
        Process process = processes.get(service.instanceName());
        waitFor(() -> Health.ready(service).up(), process, name, log(service), timeoutSeconds);
    }

    /** Ready, or for {@link #READY_AFTER_ROLLOUT} live: what start-up waits for; returns what it saw. */
    private static String awaitStarted(LocalService service, Process process, Path log, long timeoutSeconds) {
        if (service.name().equals(READY_AFTER_ROLLOUT)) {
            waitFor(() -> Health.live(service).up(), process, service.instanceName(), log, timeoutSeconds);
            return Health.ready(service).up() ? "ready" : "live (ready once a checkpoint is rolled out)";
        }
        waitFor(() -> Health.ready(service).up(), process, service.instanceName(), log, timeoutSeconds);
        return "ready";
    }

    public Path log(LocalService service) {
        return runDirectory.resolve(service.instanceName() + ".log");
    }

    /**
     * Stops the services, then the broker (each with SIGTERM, then forcibly after a grace period): the processes the
     * run folder records, so that one restarted by {@code local restart} (or by hand) since is stopped too.
     */
    public synchronized void stop() {
        List<String> names = new ArrayList<>(processes.keySet());
        java.util.Collections.reverse(names);
        for (String name : names) {
            run.stop(name);
            ProcessHandle started = processes.get(name).toHandle();
            if (started.isAlive()) { // its pid file went missing
                RunProcesses.stopProcess(started);
            }
        }
        processes.clear();
        deleteState(installation, runDirectory);
    }

    /** Stops a stack started elsewhere (by another {@code clipstream local up}), from its state file. */
    public static List<String> stopRecorded(Installation installation) {
        Properties state = recorded(installation);
        if (state.isEmpty()) {
            return List.of();
        }
        RunProcesses recordedRun = new RunProcesses(Path.of(state.getProperty("runDirectory")));
        List<String> stopped = new ArrayList<>();
        List<String> names = new ArrayList<>(components(state));
        java.util.Collections.reverse(names);
        for (String name : names) {
            if (recordedRun.stop(name)) {
                stopped.add(name);
            }
        }
        deleteState(installation, recordedRun.runDirectory());
        return stopped;
    }

    /**
     * Restarts one service of the recorded run as it was started (same command line, environment and log, appended
     * to), and waits as start-up does: until it is ready, the embedder until it is live.
     *
     * @return the service and what it is now
     */
    public static String restartRecorded(Installation installation, String name, long timeoutSeconds) {
        Properties state = recorded(installation);
        if (state.isEmpty()) {
            throw new LocalRunException("Nothing is running (no " + stateFile(installation) + "): clipstream local up");
        }
        LocalService service = recordedServices(state).stream().filter(s -> s.isNamed(name)).findFirst()
                .orElseThrow(() -> new LocalRunException("No service " + name + " in this run; its services: "
                        + recordedServices(state).stream().map(LocalService::instanceName).toList()));
        RunProcesses recordedRun = new RunProcesses(Path.of(state.getProperty("runDirectory")));
        Process process = recordedRun.restart(service.instanceName());
        Path log = recordedRun.launchOf(service.instanceName()).orElseThrow().log();
        return awaitStarted(service, process, log, timeoutSeconds) + " (pid " + process.pid() + ")";
    }

    /** The components of a recorded run in start order: the broker, then the services. */
    static List<String> components(Properties state) {
        return List.of(state.getProperty("order", "").split(",")).stream().filter(n -> !n.isBlank()).toList();
    }

    /** The service instances of a recorded run where they listen, in start order. */
    static List<LocalService> recordedServices(Properties state) {
        List<LocalService> recorded = new ArrayList<>();
        for (LocalService service : Installation.SERVICES) {
            String url = state.getProperty("url." + service.name());
            if (url != null) {
                recorded.add(listening(service, url));
            }
            for (int n = 2; state.getProperty("url." + service.name() + "-" + n) != null; n++) {
                recorded.add(listening(service.replica(n, 0), state.getProperty("url." + service.name() + "-" + n)));
            }
        }
        return recorded;
    }

    private static LocalService listening(LocalService service, String url) {
        java.net.URI uri = java.net.URI.create(url);
        return service.withPort(uri.getPort()).withHost(uri.getHost().replaceAll("^\\[|\\]$", ""));
    }

    /** The recorded state of a running stack, or empty properties. */
    public static Properties recorded(Installation installation) {
        Path file = stateFile(installation);
        return Files.exists(file) ? RunProcesses.load(file) : new Properties();
    }

    /** The record of the recorded run's processes, if one runs. */
    public static Optional<RunProcesses> recordedRun(Installation installation) {
        Properties state = recorded(installation);
        return state.isEmpty() ? Optional.empty()
                : Optional.of(new RunProcesses(Path.of(state.getProperty("runDirectory"))));
    }

    /** Deletes the state file if it still names this run (a later run may have taken it over). */
    private static void deleteState(Installation installation, Path runDirectory) {
        Properties state = recorded(installation);
        if (state.isEmpty() || runDirectory.toString().equals(state.getProperty("runDirectory"))) {
            try {
                Files.deleteIfExists(stateFile(installation));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
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
                "-Dquarkus.http.port=" + service.port(), "-Dquarkus.http.host=" + bindAddress));
        if (service.name().equals(SEARCH)) {
            // Lucene's vectorised similarity; without the module it falls back to scalar code.
            command.add(1, "--add-modules=jdk.incubator.vector");
        }
        Map<String, String> properties = new TreeMap<>(runState(service));
        properties.putAll(settings.systemProperties(service.name()));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(installation.serviceJar(service).toString());
        return command;
    }

    /** The environment a service instance of this stack is started with. */
    public Map<String, String> serviceEnvironment(LocalService service) {
        return Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrapServers(),
                // Its group.instance.id (static membership): the same after a restart, apart from its peers'.
                "CLIPSTREAM_KAFKA_GROUP_INSTANCE_ID", service.groupInstanceId(),
                "DJL_OFFLINE", "true",
                "OPT_OUT_TRACKING", "true",
                "OMP_WAIT_POLICY", "PASSIVE");
    }

    /**
     * What a service keeps on disk lives in the run folder, as the broker's data does: a Kafka Streams state left by
     * an earlier run names offsets of topics that no longer exist, and the global store's thread dies on them. The
     * run's tokens file is there too ({@link OperatorToken}), and the rollout file the servers follow and the trainer's
     * checkpoint retention keeps.
     */
    private Map<String, String> runState(LocalService service) {
        Map<String, String> properties = new TreeMap<>(Map.of(
                "kafka-streams.state.dir", runDirectory.resolve("state").resolve(service.instanceName()).toString(),
                "clipstream.model.store", checkpointStore(runDirectory).toUri().toString(),
                "clipstream.auth.tokens-file", OperatorToken.hashesFile(runDirectory).toString()));
        if (FOLLOW_ROLLOUT.contains(service.name())) {
            properties.put("clipstream.model.checkpoint-file", rolloutFile(runDirectory).toString());
        }
        if (service.name().equals(SEARCH)) {
            properties.put("clipstream.search.state-dir",
                    runDirectory.resolve("state").resolve(service.instanceName()).toString());
        }
        if (service.name().equals(CONSOLE)) {
            for (LocalService other : services) {
                if (other.instance() == 1 && !other.name().equals(CONSOLE)) {
                    properties.put("clipstream.console.services." + other.name(), other.baseUrl());
                }
            }
        }
        if (service.name().equals("trainer")) {
            // Retention never deletes the version the run serves.
            properties.put("clipstream.trainer.checkpoint.retention.rollout-files", rolloutFile(runDirectory).toString());
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

    private void start(String name, List<String> command, Path log, Map<String, String> env) {
        processes.put(name, run.launch(name, new RunProcesses.Launch(command, env, installation.home(), log)));
    }

    /** Names the run; its processes are recorded in the run folder ({@link RunProcesses}). */
    private void writeState() throws IOException {
        recordRun(installation, runDirectory, bootstrapServers(), List.copyOf(processes.keySet()), services);
    }

    /** Makes {@code runDirectory} the running run of {@code installation}, whose components start in {@code order}. */
    static void recordRun(Installation installation, Path runDirectory, String bootstrapServers, List<String> order,
            List<LocalService> services) throws IOException {
        Properties state = new Properties();
        state.setProperty("runDirectory", runDirectory.toString());
        state.setProperty("bootstrapServers", bootstrapServers);
        state.setProperty("order", String.join(",", order));
        services.forEach(s -> state.setProperty("url." + s.instanceName(), s.baseUrl()));
        Files.createDirectories(installation.stateDirectory());
        try (var out = Files.newBufferedWriter(stateFile(installation), StandardCharsets.UTF_8)) {
            state.store(out, "clipstream local up");
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier ready, Process process, String name, Path log,
            long timeoutSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
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

    private static boolean isFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(host, port));
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

    /** Told about each phase of start-up, for a progress display. */
    public interface ProgressListener {
        void phase(String component, String message);
    }
}
