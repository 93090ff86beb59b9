package io.clipstream.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.clipstream.cli.Clipstream;
import io.clipstream.cli.local.FreePorts;
import io.clipstream.cli.local.Installation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The whole mission as {@code clipstream demo} runs it, on the shared emoji fixture with a small budget: a real
 * KRaft broker and the packaged services as child JVMs, pairs through ingest, a model trained from scratch by
 * the trainer, its checkpoint rolled out through the rollout file, images through the embedder and the classifier,
 * every image accounted for, and found again by text through the search service. Needs the services packaged, as {@code ./mvnw verify} does before the cli's tests.
 */
class DemoEndToEndTest {

    private static final Pattern LAST_LINE = Pattern.compile("demo: top1=(\\d\\.\\d{3}) top5=(\\d\\.\\d{3}) "
            + "chance=0\\.050 labels=20 images=20 p50_ms=\\d+ p99_ms=\\d+ checkpoint=(\\d+) draws=1 top1_se=0\\.000 "
            + "top1_bare=\\d\\.\\d{3} top1_template=\\d\\.\\d{3} search_r5=(\\d\\.\\d{3}) search_queries=20");

    @Test
    void trainsOneStyleRollsTheCheckpointOutAndClassifiesTheOther() throws IOException {
        Installation installation = Installation.locate(null);
        assumeTrue(installation.missingBuildOutputs().isEmpty(), "the services are not packaged (run ./mvnw verify): "
                + installation.missingBuildOutputs());
        Path fixture = Path.of(System.getProperty("clipstream.fixtures", "../shared/fixtures"), "emoji");
        int kafkaPort = FreePorts.consecutive(2);
        int httpPort = FreePorts.consecutive(Installation.portSpan());

        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream console = System.out;
        int exit;
        try (PrintStream tee = new PrintStream(new Tee(console, captured), true, StandardCharsets.UTF_8)) {
            System.setOut(tee);
            exit = Clipstream.commandLine().execute("demo", "--dataset", fixture.toString(),
                    "--labels", "20", "--draws", "1", "--steps", "150", "--image-rate", "50", "--kafka-port",
                    Integer.toString(kafkaPort), "--http-port", Integer.toString(httpPort), "--timeout", "240",
                    "--phase-timeout", "600");
        } finally {
            System.setOut(console);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(0, exit, "every image classified");
        Matcher last = LAST_LINE.matcher(lines.getLast());
        assertTrue(last.matches(), lines.getLast());
        assertTrue(lines.contains("images     20 published, 20 classified, 0 rejected, 0 missing"), String.join("\n",
                lines.subList(Math.max(0, lines.size() - 8), lines.size())));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("training   150 steps, loss ")), "trained to the budget");
        String liveView = "http://127.0.0.1:" + (httpPort + 4) + "/live.html#token=";
        assertTrue(lines.stream().anyMatch(l -> l.contains("console: " + liveView)), "the console's live view, with "
                + "the run's token: " + liveView);
    }


    /** Writes to the console (progress stays visible in the build log) and to a buffer for the assertions. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            first.flush();
            second.flush();
        }
    }
}
