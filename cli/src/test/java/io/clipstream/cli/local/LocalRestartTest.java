package io.clipstream.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code local status|restart|down} on a recorded run, from another process than the one that started it, as a user
 * runs them. The run's "ingest" is a small JVM that answers Quarkus' health paths on its port: these commands manage
 * processes and read health, which needs no packaged service (LocalUpEndToEndTest starts the real ones).
 */
class LocalRestartTest {

    /** Serves /q/health/* with 200 on -Dquarkus.http.port until stopped. */
    static final String HEALTHY_SERVICE = """
            public class HealthyService {
                public static void main(String[] args) throws Exception {
                    var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(
                            "127.0.0.1", Integer.getInteger("quarkus.http.port")), 0);
                    server.createContext("/q/health", exchange -> {
                        byte[] body = "{\\"status\\": \\"UP\\"}".getBytes();
                        exchange.sendResponseHeaders(200, body.length);
                        exchange.getResponseBody().write(body);
                        exchange.close();
                    });
                    server.start();
                }
            }
            """;

    private final List<ProcessHandle> started = new ArrayList<>();

    @AfterEach
    void stopWhatIsLeft() {
        started.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void restartReplacesTheRecordedProcessAndDownStopsTheNewOne(@TempDir Path home) throws Exception {
        RunProcesses run = recordedRunWithIngest(home);
        ProcessHandle first = run.running("ingest").orElseThrow();

        CliRun.Result status = CliRun.run("local", "status", "--home", home.toString()).assertNoStackTrace();
        assertEquals(0, status.code(), status.toString());
        assertTrue(status.out().contains("pid " + first.pid()), status.toString());
        assertTrue(status.out().contains("-Dkafka-streams.state.dir=" + run.runDirectory().resolve("state/ingest")),
                "the command line: " + status);
        assertTrue(status.out().contains(String.format("health %-10s UP", "ingest")), status.toString());

        CliRun.Result restart = CliRun.run("local", "restart", "ingest", "--home", home.toString(), "--timeout", "60")
                .assertNoStackTrace();
        assertEquals(0, restart.code(), restart.toString());
        assertTrue(first.onExit().get(30, TimeUnit.SECONDS) != null && !first.isAlive(), "the old one is stopped");
        ProcessHandle second = run.running("ingest").orElseThrow(() -> new AssertionError("the pid file names the new one"));
        started.add(second);
        assertNotEquals(first.pid(), second.pid());
        assertTrue(restart.out().contains("ingest: ready (pid " + second.pid() + ")"), restart.toString());
        assertTrue(CliRun.run("local", "status", "--home", home.toString()).out().contains("pid " + second.pid()));

        CliRun.Result down = CliRun.run("local", "down", "--home", home.toString()).assertNoStackTrace();
        assertTrue(down.out().contains("Stopped ingest."), down.toString());
        assertTrue(second.onExit().get(30, TimeUnit.SECONDS) != null && !second.isAlive(), "down stops the restarted one");
        assertFalse(Files.exists(home.resolve(".clipstream/local.properties")));
    }

    @Test
    void downStopsAServiceRestartedByHandWithTheCommandLineStatusShows(@TempDir Path home) throws Exception {
        RunProcesses run = recordedRunWithIngest(home);
        ProcessHandle recorded = run.running("ingest").orElseThrow();
        recorded.destroy();
        recorded.onExit().get(30, TimeUnit.SECONDS);
        RunProcesses.Launch launch = run.launchOf("ingest").orElseThrow();
        ProcessHandle byHand = new ProcessBuilder(launch.command()).directory(launch.workingDirectory().toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().toHandle();
        started.add(byHand);

        CliRun.Result down = CliRun.run("local", "down", "--home", home.toString()).assertNoStackTrace();
        assertTrue(down.out().contains("Stopped ingest."), down.toString());
        assertTrue(byHand.onExit().get(30, TimeUnit.SECONDS) != null && !byHand.isAlive(), "stopped, though not recorded");
    }

    @Test
    void restartSaysWhatIsWrongInOneLine(@TempDir Path home) throws Exception {
        CliRun.run("local", "restart", "ingest", "--home", home.toString()).failsWithOneLine("Nothing is running");
        recordedRunWithIngest(home);
        CliRun.run("local", "restart", "embedder", "--home", home.toString())
                .failsWithOneLine("No service embedder in this run; its services: [ingest]");
    }

    @Test
    void servicesListenOnLoopbackUnlessToldOtherwise(@TempDir Path home) {
        Path run = home.resolve(".clipstream/run-x");
        LocalStack local = new LocalStack(new Installation(home), 9092, 8081);
        assertTrue(local.serviceCommand(local.service("ingest")).contains("-Dquarkus.http.host=127.0.0.1"));

        LocalStack everywhere = new LocalStack(new Installation(home), 9092, 8081, run, ServiceSettings.NONE, "0.0.0.0");
        assertTrue(everywhere.serviceCommand(everywhere.service("trainer")).contains("-Dquarkus.http.host=0.0.0.0"));
        assertEquals("http://127.0.0.1:8082", everywhere.service("trainer").baseUrl(), "reached on loopback");

        LocalStack one = new LocalStack(new Installation(home), 9092, 8081, run, ServiceSettings.NONE, "10.1.2.3");
        assertEquals("http://10.1.2.3:8084", one.service("classifier").baseUrl());
    }

    /** A run whose only service, "ingest", is up and recorded as {@code local up} records it. */
    private RunProcesses recordedRunWithIngest(Path home) throws IOException, InterruptedException {
        Installation installation = new Installation(home);
        Path runDirectory = LocalStack.newRunDirectory(installation);
        Path source = Files.writeString(Files.createDirectories(home.resolve("fake")).resolve("HealthyService.java"),
                HEALTHY_SERVICE);
        int port = FreePorts.consecutive(1);
        LocalService ingest = Installation.SERVICES.get(0).withPort(port);
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port, "-Dkafka-streams.state.dir=" + runDirectory.resolve("state/ingest"),
                source.toString());
        RunProcesses run = new RunProcesses(runDirectory);
        started.add(run.launch("ingest", new RunProcesses.Launch(command, Map.of("CLIPSTREAM_TEST", "1"), home,
                runDirectory.resolve("ingest.log"))).toHandle());
        LocalStack.recordRun(installation, runDirectory, "127.0.0.1:1", List.of("ingest"), List.of(ingest));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Health.ready(ingest).up()) {
            assertTrue(System.nanoTime() < deadline, "the stand-in service answers within 60 s");
            Thread.sleep(100);
        }
        return run;
    }
}
