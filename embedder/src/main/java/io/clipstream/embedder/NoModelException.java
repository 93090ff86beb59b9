package io.clipstream.embedder;

/** No model can do what was asked: none is active yet, or the active one lacks what it takes. HTTP answers 503. */
public final class NoModelException extends RuntimeException {

    public NoModelException(String message) {
        super(message);
    }
}
