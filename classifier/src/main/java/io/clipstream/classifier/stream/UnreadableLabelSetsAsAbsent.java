package io.clipstream.classifier.stream;

import io.clipstream.schemas.LabelSet;
import io.clipstream.schemas.serde.AvroSerde;
import io.clipstream.schemas.serde.RecordDecodingException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.jboss.logging.Logger;

/**
 * The label-set serde of the GlobalKTable: a record that is not a readable {@link LabelSet} (written by something
 * other than the HTTP API) reads as NO label set, like a tombstone, and is logged.
 *
 * <p>Why not leave it to the deserialization exception handler: the label-set store is read on every batch and by
 * the API, and its records are read again on every restore ({@link FirstWriteOfARevisionWins} reprocesses them), so an
 * unreadable record must have one answer everywhere, on every instance: the latest record for that id is not a label
 * set, so there is none. A record that declares more bytes than it holds is refused before allocating
 * ({@code AvroSerde}), so it is unreadable like any other.
 */
final class UnreadableLabelSetsAsAbsent implements Serde<LabelSet>, Deserializer<LabelSet> {

    private static final Logger LOG = Logger.getLogger(UnreadableLabelSetsAsAbsent.class);
    private static final long LOG_EVERY_MILLIS = 60_000;

    private final AvroSerde<LabelSet> avro = AvroSerde.of(LabelSet.class);
    private final AtomicLong unreadable = new AtomicLong();
    private final AtomicLong lastLogged = new AtomicLong(Long.MIN_VALUE);

    @Override
    public LabelSet deserialize(String topic, byte[] data) {
        try {
            return avro.decode(data);
        } catch (RecordDecodingException e) {
            long count = unreadable.incrementAndGet();
            long now = System.currentTimeMillis();
            long last = lastLogged.get();
            // The store is read on every batch: say it once a minute, not every time.
            if (now - last >= LOG_EVERY_MILLIS && lastLogged.compareAndSet(last, now)) {
                LOG.errorf("an unreadable record on %s counts as no label set (%d reads so far): %s",
                        topic == null ? "the label-set store" : topic, count, e.getMessage());
            }
            return null;
        }
    }

    @Override
    public Serializer<LabelSet> serializer() {
        return avro;
    }

    @Override
    public Deserializer<LabelSet> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // Nothing to configure.
    }

    @Override
    public void close() {
        // Stateless apart from the log throttle.
    }
}
