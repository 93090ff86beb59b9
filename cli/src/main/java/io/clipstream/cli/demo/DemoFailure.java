package io.clipstream.cli.demo;

/** The demo cannot go on; the message says what happened and, where there is something to do, what to do. */
public final class DemoFailure extends RuntimeException {

    public DemoFailure(String message) {
        super(message);
    }

    public DemoFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
