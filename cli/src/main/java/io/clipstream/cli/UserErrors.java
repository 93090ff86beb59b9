package io.clipstream.cli;

import io.clipstream.cli.local.LocalRunException;
import io.clipstream.model.image.InvalidImageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Optional;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;

/**
 * Bad input is not a bug: a missing or unreadable file, a broker or service that does not answer, a wrong value end a
 * command with one line on stderr ({@code clipstream <command>: <what went wrong>}) and exit code 1, never a stack
 * trace. Any other exception is a bug and keeps its stack trace; {@value #STACK_TRACE_VARIABLE}=1 shows it for
 * these too.
 */
public final class UserErrors implements CommandLine.IExecutionExceptionHandler {

    public static final String STACK_TRACE_VARIABLE = "CLIPSTREAM_STACKTRACE";
    public static final int EXIT_CODE = 1;

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed)
            throws Exception {
        Optional<String> message = describe(e);
        if (message.isEmpty() || "1".equals(System.getenv(STACK_TRACE_VARIABLE))) {
            throw e;
        }
        commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + message.get());
        commandLine.getErr().flush();
        return EXIT_CODE;
    }

    /** What a person can act on, for the exception types that mean bad input; empty for others. */
    public static Optional<String> describe(Throwable e) {
        if (e instanceof UncheckedIOException unchecked && unchecked.getCause() != null) {
            return describe(unchecked.getCause());
        }
        if (e instanceof IOException io) {
            return Optional.of(describeFileProblem(io));
        }
        if (e instanceof LocalRunException) {
            return Optional.ofNullable(e.getMessage()); // several lines on purpose: the log's tail
        }
        if (e instanceof ConfigException) {
            return message(e).map(m -> "Kafka setting: " + m);
        }
        if (e instanceof org.apache.kafka.common.errors.TimeoutException) {
            return message(e).map(m -> "Kafka did not answer in time: " + m);
        }
        if (e instanceof KafkaException && e.getCause() instanceof KafkaException cause) {
            return describe(cause); // "Failed to construct kafka consumer" says less than its cause
        }
        if (e instanceof KafkaException) {
            return message(e).map(m -> "Kafka: " + m);
        }
        if (e instanceof InvalidImageException image) {
            return message(e).map(m -> image.reason() + ": " + m);
        }
        if (e instanceof CommandFailure || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
            return message(e);
        }
        return Optional.empty();
    }

    /** A file problem in words: Java names only the path for a missing file and says "Input length = 1" for bad UTF-8. */
    public static String describeFileProblem(IOException e) {
        if (e instanceof NoSuchFileException f) {
            return "no such file or folder: " + f.getFile();
        }
        if (e instanceof AccessDeniedException f) {
            return "permission denied: " + f.getFile();
        }
        if (e instanceof FileAlreadyExistsException f) {
            return "already exists: " + f.getFile();
        }
        if (e instanceof NotDirectoryException f) {
            return "not a folder: " + f.getFile();
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getFile() + ": " + f.getReason();
        }
        if (e instanceof CharacterCodingException) {
            return "a file is not valid UTF-8 text";
        }
        return message(e).orElse("input/output error");
    }

    /** The message on one line (Jackson's, for one, go on to a second). */
    private static Optional<String> message(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? Optional.empty()
                : Optional.of(message.strip().replaceAll("\\s*\\R\\s*", " "));
    }
}
