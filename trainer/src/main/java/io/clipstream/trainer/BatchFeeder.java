package io.clipstream.trainer;

import ai.djl.ndarray.NDManager;
import io.clipstream.model.train.PairBatch;
import io.clipstream.model.train.PairBatcher;
import io.clipstream.model.train.TrainingPair;
import io.clipstream.trainer.data.Batch;
import io.clipstream.trainer.data.BatchAssembler;
import io.clipstream.trainer.data.CaptionMix;
import io.clipstream.trainer.data.ImageAugmentation;
import io.clipstream.trainer.data.PairCodec;
import io.clipstream.trainer.data.PairSource;
import io.clipstream.trainer.data.SourceRecord;
import io.clipstream.trainer.data.StreamPair;
import io.clipstream.trainer.data.UndecodablePairException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The input side of a run, on its own thread: polls the pairs topic, decodes, splits off held-out pairs, assembles
 * batches and makes their tensors (pixels normalised, captions tokenized, moved to the device), so that the next
 * batch is ready when the device finishes a step. A bounded queue between the two holds back the reading when the
 * device is slower.
 */
final class BatchFeeder implements Runnable {

    private static final Logger LOG = Logger.getLogger(BatchFeeder.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /** While rehearsing, the device is kept busy: a poll only looks for new pairs, it does not wait for them. */
    private static final Duration REHEARSAL_POLL = Duration.ofMillis(1);

    private final PairSource source;
    private final PairCodec codec;
    private final BatchAssembler assembler;
    private final PairBatcher batcher;
    private final NDManager manager;
    private final BlockingQueue<PreparedBatch> queue;
    private final Duration idleFlush;
    private final TrainingListener listener;
    private final CaptionMix captions;
    private final ImageAugmentation augmentation;
    private final long firstStep;
    private final AtomicLong undecodable = new AtomicLong();
    private volatile boolean stopped;
    private volatile Throwable failure;

    BatchFeeder(PairSource source, PairCodec codec, BatchAssembler assembler, PairBatcher batcher, NDManager manager,
            BlockingQueue<PreparedBatch> queue, Duration idleFlush, TrainingListener listener, CaptionMix captions,
            ImageAugmentation augmentation, long firstStep) {
        this.source = source;
        this.codec = codec;
        this.assembler = assembler;
        this.batcher = batcher;
        this.manager = manager;
        this.queue = queue;
        this.idleFlush = idleFlush;
        this.listener = listener;
        this.captions = captions;
        this.augmentation = augmentation;
        this.firstStep = firstStep;
    }

    @Override
    public void run() {
        try {
            long lastInput = System.nanoTime();
            boolean rehearsed = false;
            while (!stopped) {
                List<SourceRecord> records = source.poll(rehearsed ? REHEARSAL_POLL : POLL);
                for (SourceRecord record : records) {
                    listener.pairRead(assembler.accept(record.partition(), record.offset(), decode(record)));
                }
                if (!records.isEmpty()) {
                    lastInput = System.nanoTime();
                }
                boolean idle = records.isEmpty() && System.nanoTime() - lastInput >= idleFlush.toNanos();
                rehearsed = false;
                for (Optional<Batch> batch = assembler.next(idle); batch.isPresent() && !stopped;
                        batch = assembler.next(idle)) {
                    hand(prepare(batch.get()));
                    if (batch.get().fresh().isEmpty()) {
                        rehearsed = true;
                        break; // rehearsal batches never run out: look for new pairs between two
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("The batch feeder failed", e);
        }
    }

    /** Undecodable records are not this service's to reject (ingest validated them): counted, logged, skipped. */
    private Optional<StreamPair> decode(SourceRecord record) {
        try {
            return Optional.of(codec.decode(record.value()));
        } catch (UndecodablePairException e) {
            long count = undecodable.incrementAndGet();
            // Every one up to 10, then every 1000th: a flood of bad records must not flood the log.
            if (count <= 10 || count % 1000 == 0) {
                LOG.warnf("Skipping record %d/%d of the pairs topic (%d skipped so far): %s", record.partition(),
                        record.offset(), count, e.getMessage());
            }
            return Optional.empty();
        }
    }

    private PreparedBatch prepare(Batch batch) {
        NDManager scope = manager.newSubManager();
        try {
            PairBatch tensors = batcher.batch(trainingPairs(batch, captions, augmentation, firstStep), scope);
            return new PreparedBatch(batch, tensors, scope);
        } catch (RuntimeException e) {
            scope.close();
            throw e;
        }
    }

    /**
     * The rows of a batch: each pair's image and caption as it is trained with them this time (the mix and the
     * augmentation draw per pair and step, so replayed and rehearsed pairs see other phrasings and crops than on
     * their first pass). The batch of a run that resumed at {@code firstStep} is that step plus its sequence number.
     */
    static List<TrainingPair> trainingPairs(Batch batch, CaptionMix captions, ImageAugmentation augmentation,
            long firstStep) {
        long step = firstStep + batch.sequence();
        return batch.pairs().stream()
                .map(p -> new TrainingPair(augmentation.image(p, step), captions.caption(p, step))).toList();
    }

    private void hand(PreparedBatch prepared) throws InterruptedException {
        while (!queue.offer(prepared, POLL.toMillis(), TimeUnit.MILLISECONDS)) {
            if (stopped) {
                prepared.close();
                return;
            }
        }
    }

    /** Stops reading; a poll in progress returns at once. */
    void stop() {
        stopped = true;
        source.wakeup();
    }

    /** Why the feeder stopped by itself, if it did. */
    Throwable failure() {
        return failure;
    }

    long undecodable() {
        return undecodable.get();
    }
}
