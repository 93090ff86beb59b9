package io.clipstream.trainer.data;

/** One record of the pairs topic, not yet decoded. */
public record SourceRecord(int partition, long offset, byte[] value) {
}
