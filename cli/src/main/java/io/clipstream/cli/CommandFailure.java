package io.clipstream.cli;

/**
 * A command cannot go on because of what it was given or what it talks to (a file, a broker, a service); the message
 * says what and, where it can, what to do. {@link UserErrors} prints it as one line.
 */
public final class CommandFailure extends RuntimeException {

    public CommandFailure(String message) {
        super(message);
    }

    public CommandFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
