package io.clipstream.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clipstream.cli.Clipstream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code clipstream local up --once} with the packaged services: the broker and the services start, every one
 * but the embedder is ready, and the embedder says it waits for a rollout (there is no checkpoint yet); every service
 * knows the run's operator token, which the run folder keeps owner-only.
 */
class LocalUpEndToEndTest {

    @Test
    void startsEverythingAndSaysHowToRollACheckpointOut() throws Exception {
        Installation installation = Installation.locate(null);
        assumeTrue(installation.missingBuildOutputs().isEmpty(), "the services are not packaged (run ./mvnw verify): "
                + installation.missingBuildOutputs());
        int kafkaPort = FreePorts.consecutive(2);
        int httpPort = FreePorts.consecutive(Installation.portSpan());

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream console = System.out;
        int exit;
        try (PrintStream out = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            exit = Clipstream.commandLine().execute("local", "up", "--once", "--kafka-port",
                    Integer.toString(kafkaPort), "--http-port", Integer.toString(httpPort));
        } finally {
            System.setOut(console);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        console.println(output);
        assertEquals(0, exit, output);
        assertTrue(output.contains("Clipstream is up. Kafka: 127.0.0.1:" + kafkaPort), output);
        for (String ready : new String[] {"ingest", "trainer", "classifier", "search", "console"}) {
            assertTrue(output.contains(String.format("health %-10s UP", ready)), ready + " ready: " + output);
        }
        assertTrue(output.contains("health embedder   DOWN") && output.contains("no checkpoint configured"),
                "the embedder waits for a rollout: " + output);
        assertTrue(output.contains("rollout    write CLIPSTREAM_MODEL_CHECKPOINT=<version> to "), output);

        assertTrue(output.contains("console    http://127.0.0.1:" + (httpPort + 4) + "/#token="), output);
        Matcher token = Pattern.compile("operator token in (\\S+) ").matcher(output);
        assertTrue(token.find(), "says where the run's operator token is: " + output);
        Path tokenFile = Path.of(token.group(1));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
        for (String service : new String[] {"ingest", "trainer", "embedder", "classifier", "search"}) {
            String log = Files.readString(tokenFile.resolveSibling(service + ".log"));
            assertTrue(log.contains("Bearer tokens: 1 operator, 0 client"), service + " knows the run's token: " + log);
        }
    }
}
