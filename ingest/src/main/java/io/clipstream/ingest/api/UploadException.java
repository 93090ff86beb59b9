package io.clipstream.ingest.api;

/** A malformed upload: answered with 400 and this message. */
public final class UploadException extends RuntimeException {
    public UploadException(String message) {
        super(message);
    }
}
