package io.clipstream.embedder.api;

/** A request the embedder cannot use: answered with 400 and this message. */
public final class EmbedRequestException extends RuntimeException {

    public EmbedRequestException(String message) {
        super(message);
    }
}
