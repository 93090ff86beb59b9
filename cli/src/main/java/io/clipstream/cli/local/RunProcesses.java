package io.clipstream.cli.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The processes of one local run, as its run folder records them: beside each component's log, {@code <name>.pid}
 * (its process id and start time, rewritten by every start and restart) and {@code <name>.launch} (the command line,
 * environment and working folder it was started with, so that {@code local restart} starts it the same way). Any
 * {@code clipstream} process can so stop or restart what another one started.
 */
public final class RunProcesses {

    /** How a component is started: everything a restart needs to start it the same way again. */
    public record Launch(List<String> command, Map<String, String> environment, Path workingDirectory, Path log) {

        public Launch {
            command = List.copyOf(command);
            environment = Map.copyOf(environment);
        }
    }

    private static final long STOP_GRACE_SECONDS = 30;

    private final Path runDirectory;

    public RunProcesses(Path runDirectory) {
        this.runDirectory = runDirectory;
    }

    public Path runDirectory() {
        return runDirectory;
    }

    /** Starts a component (its output appended to its log) and records its pid and launch. */
    public Process launch(String name, Launch launch) {
        try {
            Files.createDirectories(runDirectory);
            ProcessBuilder builder = new ProcessBuilder(launch.command()).directory(launch.workingDirectory().toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(launch.log().toFile()));
            builder.environment().putAll(launch.environment());
            Process process = builder.start();
            writeLaunch(name, launch);
            writePid(name, process.toHandle());
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How {@code name} was last started, if this run started it. */
    public Optional<Launch> launchOf(String name) {
        Path file = launchFile(name);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = load(file);
        List<String> command = new ArrayList<>();
        for (int i = 0; p.containsKey("arg." + i); i++) {
            command.add(p.getProperty("arg." + i));
        }
        Map<String, String> environment = new LinkedHashMap<>();
        p.stringPropertyNames().stream().filter(k -> k.startsWith("env.")).sorted()
                .forEach(k -> environment.put(k.substring(4), p.getProperty(k)));
        return Optional.of(new Launch(command, environment, Path.of(p.getProperty("directory")),
                Path.of(p.getProperty("log"))));
    }

    /**
     * The recorded process of {@code name} while it runs. A pid is only taken for it while the process with that pid
     * started when the recorded one did: a pid the system gave to another process since is not stopped.
     */
    public Optional<ProcessHandle> running(String name) {
        Path file = pidFile(name);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = load(file);
        Optional<ProcessHandle> handle;
        try {
            handle = ProcessHandle.of(Long.parseLong(p.getProperty("pid", "-1").strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        String started = p.getProperty("started");
        return handle.filter(ProcessHandle::isAlive).filter(h -> started == null
                || h.info().startInstant().map(Instant::toString).map(started::equals).orElse(true));
    }

    /**
     * Processes of {@code name} this run did not record: started by hand with the command line {@code local status}
     * shows. Recognised by the argument that names the component's own folder in this run, which nothing else has.
     */
    public List<ProcessHandle> unrecorded(String name) {
        Optional<String> marker = launchOf(name).flatMap(RunProcesses::marker);
        if (marker.isEmpty()) {
            return List.of();
        }
        Optional<Long> recorded = running(name).map(ProcessHandle::pid);
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(h -> h.pid() != self && recorded.map(pid -> pid != h.pid()).orElse(true))
                .filter(h -> h.info().command().map(c -> c.endsWith("java")).orElse(false))
                .filter(h -> h.info().arguments().map(args -> List.of(args).contains(marker.get())).orElse(false))
                .toList();
    }

    /** Stops {@code name}: the recorded process and any started by hand; returns whether one ran. */
    public boolean stop(String name) {
        List<ProcessHandle> targets = new ArrayList<>(unrecorded(name));
        running(name).ifPresent(targets::add);
        targets.forEach(RunProcesses::stopProcess);
        try {
            Files.deleteIfExists(pidFile(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return !targets.isEmpty();
    }

    /** Stops {@code name} and starts it again as it was launched last. */
    public Process restart(String name) {
        Launch launch = launchOf(name).orElseThrow(() -> new LocalRunException(
                "This run did not start " + name + " (no " + launchFile(name) + ")"));
        stop(name);
        return launch(name, launch);
    }

    public Path pidFile(String name) {
        return runDirectory.resolve(name + ".pid");
    }

    private Path launchFile(String name) {
        return runDirectory.resolve(name + ".launch");
    }

    /** The argument naming the component's own state in the run folder: a service's Kafka Streams state, the broker's data. */
    private static Optional<String> marker(Launch launch) {
        List<String> command = launch.command();
        for (int i = 0; i < command.size(); i++) {
            if (command.get(i).startsWith("-Dkafka-streams.state.dir=")) {
                return Optional.of(command.get(i));
            }
            if (command.get(i).equals("--data") && i + 1 < command.size()) {
                return Optional.of(command.get(i + 1));
            }
        }
        return Optional.empty();
    }

    private void writeLaunch(String name, Launch launch) throws IOException {
        Properties p = new Properties();
        for (int i = 0; i < launch.command().size(); i++) {
            p.setProperty("arg." + i, launch.command().get(i));
        }
        launch.environment().forEach((key, value) -> p.setProperty("env." + key, value));
        p.setProperty("directory", launch.workingDirectory().toString());
        p.setProperty("log", launch.log().toString());
        store(p, launchFile(name), "how clipstream local started " + name);
    }

    private void writePid(String name, ProcessHandle process) throws IOException {
        Properties p = new Properties();
        p.setProperty("pid", Long.toString(process.pid()));
        process.info().startInstant().ifPresent(started -> p.setProperty("started", started.toString()));
        store(p, pidFile(name), name);
    }

    /** Written beside and moved over, so that a reader never sees half a file. */
    private static void store(Properties p, Path file, String comment) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (var out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            p.store(out, comment);
        }
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    static Properties load(Path file) {
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalArgumentException e) {
            throw new LocalRunException(file + " is not a file clipstream local wrote: " + e.getMessage());
        }
        return p;
    }

    static void stopProcess(ProcessHandle handle) {
        handle.destroy();
        try {
            handle.onExit().get(STOP_GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
        }
    }
}
