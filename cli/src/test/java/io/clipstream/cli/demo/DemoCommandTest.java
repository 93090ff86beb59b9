package io.clipstream.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.cli.Clipstream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code clipstream demo} up to the point where it would start the platform. */
class DemoCommandTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Clipstream.commandLine().execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
    }

    @Test
    void isListedWithItsOptions() {
        StringWriter help = new StringWriter();
        assertEquals(0, Clipstream.commandLine().setOut(new PrintWriter(help)).execute("--help"));
        assertTrue(help.toString().contains("demo"), help.toString());

        StringWriter usage = new StringWriter();
        assertEquals(0, Clipstream.commandLine().setOut(new PrintWriter(usage)).execute("demo", "--help"));
        for (String option : new String[] {"--dataset", "--labels", "--steps", "--keep-running", "--kafka-port",
                "--http-port", "--train-pairs"}) {
            assertTrue(usage.toString().contains(option), option + " in " + usage);
        }
    }

    @Test
    void refusesAMissingBuildWithWhatToDoBeforeFetchingTheCorpus(@TempDir Path emptyHome) {
        Run run = run("demo", "--home", emptyHome.toString());
        assertEquals(1, run.code(), run.err());
        assertTrue(run.err().contains("Not built") && run.err().contains("./mvnw"), run.err());
        assertEquals("", run.out(), "no phase began");
    }

    @Test
    void refusesChoicesNoCorpusCanSatisfy(@TempDir Path emptyHome) {
        Run oneLabel = run("demo", "--labels", "1", "--home", emptyHome.toString());
        assertEquals(1, oneLabel.code());
        assertTrue(oneLabel.err().contains("--labels must be at least 2"), oneLabel.err());

        Run noSteps = run("demo", "--steps", "0", "--home", emptyHome.toString());
        assertEquals(1, noSteps.code());
        assertTrue(noSteps.err().contains("--steps must be at least 1"), noSteps.err());
    }
}
