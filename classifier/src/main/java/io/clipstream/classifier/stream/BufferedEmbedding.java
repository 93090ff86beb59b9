package io.clipstream.classifier.stream;

/**
 * An embedding record waiting in the buffer store for the next batch: its bytes as read (decoded again when scored,
 * kept for a rejection's replay), its timestamp, and where it was read.
 */
record BufferedEmbedding(String key, byte[] value, long timestamp, String topic, int partition, long offset) {
}
