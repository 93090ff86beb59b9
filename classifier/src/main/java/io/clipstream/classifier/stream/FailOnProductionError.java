package io.clipstream.classifier.stream;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.jboss.logging.Logger;

/**
 * The production exception handler ({@code production.exception.handler}): retries what the broker calls
 * retriable, fails on everything else. Under exactly-once, failing aborts the transaction, so the input is read
 * again and nothing is lost; CONTINUE would commit the input without its classification, a silent drop. (A
 * classification cannot outgrow the broker's record limit: label names and top-k are bounded by validation, and an
 * embedding's attributes, which every classification carries, by {@code AttributeLimits} in ClassifyProcessor.)
 */
public final class FailOnProductionError implements ProductionExceptionHandler {

    private static final Logger LOG = Logger.getLogger(FailOnProductionError.class);

    @Override
    public ProductionExceptionHandlerResponse handle(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record,
            Exception exception) {
        if (exception instanceof RetriableException) {
            LOG.warnf("retrying a write to %s: %s", record.topic(), exception.getMessage());
            return ProductionExceptionHandlerResponse.RETRY;
        }
        LOG.errorf(exception, "cannot write to %s (from %s-%d offset %d); failing so that the transaction aborts and "
                + "the input is processed again", record.topic(), context.topic(), context.partition(), context.offset());
        return ProductionExceptionHandlerResponse.FAIL;
    }

    @Override
    public ProductionExceptionHandlerResponse handleSerializationException(ErrorHandlerContext context,
            ProducerRecord record, Exception exception, SerializationExceptionOrigin origin) {
        LOG.errorf(exception, "cannot serialise the %s of a record for %s; failing", origin, record.topic());
        return ProductionExceptionHandlerResponse.FAIL;
    }

    @Override
    public void configure(Map<String, ?> configs) {
        // Nothing to configure.
    }
}
