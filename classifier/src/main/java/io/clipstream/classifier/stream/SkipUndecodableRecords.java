package io.clipstream.classifier.stream;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.jboss.logging.Logger;

/**
 * The deserialization exception handler ({@code deserialization.exception.handler}), configured rather than left
 * to the default that stops the application. Nothing in this topology is expected to reach it: embeddings are read
 * as bytes (the classify step rejects undecodable ones with their bytes) and unreadable label sets read as absent
 * ({@link UnreadableLabelSetsAsAbsent}). Should a record still fail to deserialise, it is skipped with an error in
 * the log and in Kafka Streams' {@code dropped-records} metric: failing would not help, the record would fail
 * again on every restart.
 */
public final class SkipUndecodableRecords implements DeserializationExceptionHandler {

    private static final Logger LOG = Logger.getLogger(SkipUndecodableRecords.class);

    @Override
    public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
            Exception exception) {
        LOG.errorf("skipping an undecodable record at %s-%d offset %d (key %s): %s", record.topic(), record.partition(),
                record.offset(), record.key() == null ? "null" : new String(record.key(), java.nio.charset.StandardCharsets.UTF_8),
                exception.getMessage());
        return DeserializationHandlerResponse.CONTINUE;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // Nothing to configure.
    }
}
