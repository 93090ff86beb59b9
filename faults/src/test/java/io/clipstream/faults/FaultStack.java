package io.clipstream.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * One run of the fault suite: a standalone broker and the packaged services, each its own process with its own port,
 * state folder and log under the run folder, as {@code clipstream local up} starts them. Processes are killed with
 * SIGKILL ({@link Process#destroyForcibly()} on Linux) and restarted with the same command line.
 */
final class FaultStack implements AutoCloseable {

    /** -Dfaults.static-membership=false runs the services with dynamic membership, to compare. */
    static final boolean STATIC_MEMBERSHIP = Boolean.parseBoolean(System.getProperty("faults.static-membership", "true"));

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    final Path home = Path.of(System.getProperty("clipstream.home", "..")).toAbsolutePath().normalize();
    /** Whose packaged services run (-Dfaults.services-home: another checkout's build, to measure before a fix). */
    final Path servicesHome = Path.of(System.getProperty("faults.services-home", home.toString())).toAbsolutePath().normalize();
    final Path run;
    final int kafkaPort;
    final String bootstrap;
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process broker;

    FaultStack(String scenario) throws IOException {
        // Under this module's target (the working folder of its tests), whichever checkout's build runs.
        this.run = Files.createDirectories(Path.of("target", "runs").toAbsolutePath()).resolve(scenario);
        deleteTree(run);
        Files.createDirectories(run);
        this.kafkaPort = freePortPair();
        this.bootstrap = "127.0.0.1:" + kafkaPort;
    }

    /** A service instance: its name (service-index), command line and process. */
    final class Instance {
        final String name;
        final String service;
        final int port;
        final List<String> command;
        Process process;
        /**
         * Output through a pipe that this JVM copies into the log, rather than the log file as its stdout: a process
         * under a file-size limit ({@link #limitFileSize}) could not write its log past that size.
         */
        boolean pipeOutput;

        Instance(String name, String service, int port, List<String> command) {
            this.name = name;
            this.service = service;
            this.port = port;
            this.command = command;
        }

        void start() throws IOException {
            ProcessBuilder builder = new ProcessBuilder(command).directory(run.toFile()).redirectErrorStream(true)
                    .redirectOutput(pipeOutput ? ProcessBuilder.Redirect.PIPE
                            : ProcessBuilder.Redirect.appendTo(run.resolve(name + ".log").toFile()));
            builder.environment().putAll(Map.of("DJL_OFFLINE", "true", "OPT_OUT_TRACKING", "true",
                    "OMP_WAIT_POLICY", "PASSIVE", "KAFKA_BOOTSTRAP_SERVERS", bootstrap));
            process = builder.start();
            if (pipeOutput) {
                Process started = process;
                Thread.ofPlatform().daemon().name(name + "-log").start(() -> {
                    try (var in = started.getInputStream(); var out = Files.newOutputStream(log(),
                            java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
                        byte[] buffer = new byte[8192];
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException ended) {
                        // the process is gone
                    }
                });
            }
        }

        /**
         * Sets the process's soft limit on the size of a file it writes (RLIMIT_FSIZE, {@code prlimit}); a write past
         * it fails with EFBIG ("File too large"), as on a full disk. {@code null} lifts it again.
         */
        void limitFileSize(Long bytes) throws IOException, InterruptedException {
            Process prlimit = new ProcessBuilder("prlimit", "--pid", Long.toString(process.pid()),
                    "--fsize=" + (bytes == null ? "unlimited" : bytes.toString()) + ":").redirectErrorStream(true).start();
            String output = new String(prlimit.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (prlimit.waitFor() != 0) {
                throw new IOException("prlimit failed: " + output);
            }
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }

        /** Stops it as Kubernetes would (SIGTERM) and waits for it to exit: a graceful shutdown. */
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(150, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " did not stop within 150 s: see " + log());
            }
        }

        Path log() {
            return run.resolve(name + ".log");
        }

        /** {@code GET path} as JSON, or null when it does not answer 200. */
        com.fasterxml.jackson.databind.JsonNode json(String path) {
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                return answer.statusCode() == 200 ? JSON.readTree(answer.body()) : null;
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        /** Whether {@code /q/health/ready} answers 200 now. */
        boolean readyNow() {
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        /**
         * The sum of a Prometheus series' samples at {@code /q/metrics} (every tag combination), or NaN when the
         * instance does not answer or has no such series.
         */
        double metric(String name) {
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                double sum = Double.NaN;
                for (String line : answer.body().split("\n")) {
                    if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                        double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                        sum = Double.isNaN(sum) ? value : sum + value;
                    }
                }
                return sum;
            } catch (IOException | NumberFormatException e) {
                return Double.NaN;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Double.NaN;
            }
        }

        /** Waits for {@code /q/health/ready} to answer 200. */
        void awaitReady() throws Exception {
            long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited " + process.exitValue() + ": see " + run.resolve(name + ".log"));
                }
                try {
                    HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(250);
            }
            throw new IllegalStateException(name + " not ready within " + READY_TIMEOUT + ": see " + run.resolve(name + ".log"));
        }
    }

    /**
     * How a restarted instance came back: seconds from its start until {@code /q/health/ready} answered 200, and until
     * its group handed it partitions (a member with its group instance id, a new member id and a non-empty
     * assignment); NaN for what did not happen within two minutes.
     */
    record Recovery(double readySeconds, double assignedSeconds) {
        String line(String scenario) {
            return String.format(java.util.Locale.ROOT, "faults: %s recovery: ready_after_s=%.1f assigned_after_s=%.1f"
                    + " ready_lead_s=%.1f", scenario, readySeconds, assignedSeconds, assignedSeconds - readySeconds);
        }
    }

    /** The member ids in {@code group} whose group instance id starts with the instance's name. */
    Set<String> memberIds(String group, Instance instance) throws Exception {
        try (Admin admin = admin()) {
            return admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group).members()
                    .stream().filter(m -> m.groupInstanceId().map(id -> id.startsWith(instance.name)).orElse(false))
                    .map(m -> m.consumerId()).collect(java.util.stream.Collectors.toSet());
        }
    }

    /** Measures {@link Recovery} of {@code instance}, started at {@code startedNanos}, in {@code group}. */
    Recovery recovery(String group, Instance instance, Set<String> oldMembers, long startedNanos) throws Exception {
        long deadline = startedNanos + Duration.ofMinutes(2).toNanos();
        long ready = -1;
        long assigned = -1;
        try (Admin admin = admin()) {
            while ((ready < 0 || assigned < 0) && System.nanoTime() < deadline) {
                if (ready < 0 && instance.readyNow()) {
                    ready = System.nanoTime();
                }
                if (assigned < 0) {
                    try {
                        boolean has = admin.describeConsumerGroups(List.of(group)).all().get(5, TimeUnit.SECONDS).get(group)
                                .members().stream().anyMatch(m -> m.groupInstanceId()
                                        .map(id -> id.startsWith(instance.name)).orElse(false)
                                        && !oldMembers.contains(m.consumerId())
                                        && !m.assignment().topicPartitions().isEmpty());
                        if (has) {
                            assigned = System.nanoTime();
                        }
                    } catch (Exception notYet) {
                        // the coordinator is busy; ask again
                    }
                }
                Thread.sleep(100);
            }
        }
        return new Recovery(ready < 0 ? Double.NaN : (ready - startedNanos) / 1e9,
                assigned < 0 ? Double.NaN : (assigned - startedNanos) / 1e9);
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000));
    }

    /** Starts the broker again on the same log folders (the same port and data, as after a node restart). */
    void restartBroker() throws Exception {
        startBroker();
    }

    void startBroker() throws Exception {
        String classpath = Files.readString(home.resolve("broker/target/broker.classpath")).strip()
                + java.io.File.pathSeparator + home.resolve("broker/target/classes");
        List<String> command = List.of(java(), "-Xmx512m", "-cp", classpath, "io.clipstream.broker.StandaloneKafka",
                "--port", Integer.toString(kafkaPort), "--data", run.resolve("kafka").toString());
        broker = new ProcessBuilder(command).directory(run.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(run.resolve("broker.log").toFile())).start();
        awaitTopics();
    }

    void stopBroker() throws InterruptedException {
        broker.destroy();
        if (!broker.waitFor(60, TimeUnit.SECONDS)) {
            broker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void awaitTopics() throws Exception {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000))) {
            while (System.nanoTime() < deadline) {
                if (!broker.isAlive()) {
                    throw new IllegalStateException("the broker exited: see " + run.resolve("broker.log"));
                }
                try {
                    Set<String> topics = admin.listTopics().names().get(5, TimeUnit.SECONDS);
                    if (topics.containsAll(io.clipstream.schemas.Topics.all().stream().map(t -> t.name()).toList())) {
                        return;
                    }
                } catch (Exception notYet) {
                    // the broker is starting
                }
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("the broker's topics did not appear: see " + run.resolve("broker.log"));
    }

    /** Adds (without starting) instance {@code index} of {@code service} with these {@code -D} settings. */
    Instance add(String service, int index, Map<String, String> settings) throws IOException {
        String name = service + "-" + index;
        int port = freePort();
        Map<String, String> properties = new TreeMap<>(Map.of(
                "quarkus.http.port", Integer.toString(port),
                "quarkus.http.host", "127.0.0.1",
                "ai.djl.offline", "true",
                "kafka.bootstrap.servers", bootstrap,
                "kafka-streams.state.dir", run.resolve("state").resolve(name).toString(),
                "clipstream.model.store", run.resolve("checkpoints").toUri().toString(),
                "clipstream.auth.enabled", "false"));
        if (STATIC_MEMBERSHIP) {
            properties.put("clipstream.kafka.group-instance-id", name);
        }
        properties.putAll(settings);
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx640m", "-XX:TieredStopAtLevel=1",
                "--enable-native-access=ALL-UNNAMED"));
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        Path jar = servicesHome.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("not packaged: " + jar + " (run ./mvnw -Pfaults verify)");
        }
        command.add(jar.toString());
        Instance instance = new Instance(name, service, port, command);
        instances.put(name, instance);
        return instance;
    }

    Path checkpointStore() {
        return run.resolve("checkpoints");
    }

    @Override
    public void close() throws Exception {
        for (Instance instance : instances.values()) {
            if (instance.process != null) {
                instance.process.destroy();
            }
        }
        for (Instance instance : instances.values()) {
            if (instance.process != null && !instance.process.waitFor(20, TimeUnit.SECONDS)) {
                instance.process.destroyForcibly();
            }
        }
        if (broker != null && broker.isAlive()) {
            stopBroker();
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** A port whose successor is free too (the broker's controller listens on port + 1). */
    private static int freePortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = freePort();
            try (ServerSocket next = new ServerSocket(port + 1)) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no two consecutive free ports");
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
