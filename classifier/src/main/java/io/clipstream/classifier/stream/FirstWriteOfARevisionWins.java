package io.clipstream.classifier.stream;

import io.clipstream.schemas.LabelSet;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.jboss.logging.Logger;

/**
 * Keeps the label-set store: a set replaces the stored one only with a HIGHER revision; a tombstone (or an unreadable
 * record, read as none) deletes. So when two replicas of the API write the same revision at once (each read the
 * same current revision), the first in the topic's order wins on every instance, and the second writer, seeing
 * another set at its revision, knows it lost ({@code LabelSetsResource} answers 412, or retries an unconditional PUT
 * at the next revision). Kafka Streams runs this processor on restore too, so a restarted instance agrees.
 */
final class FirstWriteOfARevisionWins implements Processor<String, LabelSet, Void, Void> {

    private static final Logger LOG = Logger.getLogger(FirstWriteOfARevisionWins.class);

    private TimestampedKeyValueStore<String, LabelSet> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(ClassifierTopology.LABEL_SETS_STORE);
    }

    @Override
    public void process(Record<String, LabelSet> record) {
        if (record.key() == null) {
            return;
        }
        LabelSet next = record.value();
        if (next == null) {
            store.delete(record.key());
            return;
        }
        ValueAndTimestamp<LabelSet> current = store.get(record.key());
        if (current != null && current.value() != null && next.getRevision() <= current.value().getRevision()) {
            LOG.debugf("label set %s: revision %d ignored, revision %d came first", record.key(), next.getRevision(),
                    current.value().getRevision());
            return;
        }
        store.put(record.key(), ValueAndTimestamp.make(next, record.timestamp()));
    }
}
