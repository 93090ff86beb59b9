package io.clipstream.schemas.serde;

import io.clipstream.schemas.RejectReason;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A record value that cannot be read as the expected Avro record. Services catch it and turn the record into a
 * {@code *.rejected} record with {@link #reason()}; it never crashes a consumer.
 */
public final class RecordDecodingException extends SerializationException {

    private final RejectReason reason;

    public RecordDecodingException(RejectReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** {@link RejectReason#UNKNOWN_SCHEMA} for an unknown fingerprint, else {@link RejectReason#UNDECODABLE_RECORD}. */
    public RejectReason reason() {
        return reason;
    }
}
