package io.clipstream.model.image;

import io.clipstream.schemas.RejectReason;

import java.util.Objects;

/**
 * An input the decoder will not turn into pixels, with the reason a {@code Rejected} record carries. Checked on
 * purpose: a bad image is an expected outcome of untrusted input, and every caller must route it somewhere.
 */
public final class InvalidImageException extends Exception {

    private final RejectReason reason;

    public InvalidImageException(RejectReason reason, String message) {
        this(reason, message, null);
    }

    public InvalidImageException(RejectReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public RejectReason reason() {
        return reason;
    }
}
