package io.clipstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ClipstreamCommandTest {

    @Test
    void helpListsTheCommands() {
        StringWriter out = new StringWriter();
        CommandLine cli = Clipstream.commandLine().setOut(new PrintWriter(out));
        assertEquals(0, cli.execute("--help"));
        assertTrue(out.toString().contains("version"), out.toString());
        assertTrue(out.toString().contains("local"), out.toString());
    }

    @Test
    void localUpRefusesAMissingBuildWithWhatToDo(@TempDir Path emptyHome) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Clipstream.commandLine().execute("local", "up", "--once", "--home", emptyHome.toString());
            assertEquals(2, code);
        } finally {
            System.setErr(original);
        }
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.contains("Not built") && message.contains("./mvnw"), message);
    }
}
