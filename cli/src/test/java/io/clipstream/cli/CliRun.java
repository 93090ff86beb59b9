package io.clipstream.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs {@code clipstream} in this JVM with stdin given and stdout and stderr captured. */
public final class CliRun {

    /** What a run left: its exit code, stdout and stderr. */
    public record Result(int code, String out, String err) {

        /**
         * Ends with an error of one line on stderr that contains {@code expected}, and no stack trace: nothing of
         * Java's exceptions reaches a user.
         */
        public Result failsWithOneLine(String expected) {
            assertTrue(code != 0, "a failure exits non-zero: " + this);
            assertTrue(err.contains(expected), "says " + expected + ": " + this);
            assertNoStackTrace();
            String line = err.lines().filter(l -> l.contains(expected)).findFirst().orElseThrow();
            assertTrue(line.length() < 400, "one short line: " + line);
            return this;
        }

        public Result assertNoStackTrace() {
            assertFalse(err.contains("\tat ") || out.contains("\tat "), "no stack trace: " + this);
            assertFalse(err.contains("Exception"), "no exception class names: " + this);
            return this;
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private CliRun() {
    }

    public static Result run(String... args) {
        return run(new byte[0], args);
    }

    public static Result run(byte[] stdin, String... args) {
        InputStream originalIn = System.in;
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setIn(new ByteArrayInputStream(stdin));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Clipstream.commandLine().execute(args);
        } finally {
            System.setIn(originalIn);
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
