package io.clipstream.cli.local;

/** A local run cannot go on; the message says why and what to do. */
public final class LocalRunException extends RuntimeException {
    public LocalRunException(String message) {
        super(message);
    }
}
