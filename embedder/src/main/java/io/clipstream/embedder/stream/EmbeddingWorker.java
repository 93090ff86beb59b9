package io.clipstream.embedder.stream;

import io.clipstream.embedder.ActiveModel;
import io.clipstream.embedder.runtime.EmbedderMetrics;
import io.clipstream.embedder.Embeddings;
import io.clipstream.embedder.NoModelException;
import io.clipstream.embedder.PreparedImage;
import io.clipstream.schemas.RejectReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * Takes batches from the {@link MicroBatcher}, embeds their images in one model call on the inference thread, and
 * writes every record's output in input order. A batch the model fails on is retried image by image, so that one
 * bad input is rejected ({@code INTERNAL_ERROR}, original bytes kept for replay) and the rest go through: the stream
 * never stalls on a record.
 */
final class EmbeddingWorker implements Runnable {

    private static final Logger LOG = Logger.getLogger(EmbeddingWorker.class);

    /** One image's result: a vector, or what went wrong. */
    private record Result(String modelVersion, float[] vector, String error) {
    }

    private final MicroBatcher<PendingRecord> batcher;
    private final ActiveModel model;
    private final OutputWriter output;
    private final EmbedderMetrics metrics;

    EmbeddingWorker(MicroBatcher<PendingRecord> batcher, ActiveModel model, OutputWriter output,
            EmbedderMetrics metrics) {
        this.batcher = batcher;
        this.model = model;
        this.output = output;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        try {
            for (List<PendingRecord> batch = batcher.nextBatch(); !batch.isEmpty(); batch = batcher.nextBatch()) {
                process(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void process(List<PendingRecord> batch) throws InterruptedException {
        long started = System.nanoTime();
        for (PendingRecord record : batch) {
            metrics.queueWait(Duration.ofNanos(started - record.readNanos()));
        }
        List<PendingRecord> images = batch.stream().filter(PendingRecord::embeddable).toList();
        List<Result> results;
        try {
            results = images.isEmpty() ? List.of() : embed(images);
        } catch (NoModelException | RejectedExecutionException | PreparedImage.SizeChangedException e) {
            // Nothing to embed with (shutting down), or a model of another size came in after these were prepared
            // without their bytes: no output, so these offsets are not committed and the records are read again.
            batch.forEach(record -> output.abandon(record, e));
            return;
        }
        Instant embeddedTime = Instant.now();
        int next = 0;
        for (PendingRecord record : batch) {
            if (record.input() instanceof ImageInput.Invalid invalid) {
                output.rejection(record, invalid.reason(), invalid.message(), null);
                continue;
            }
            Result result = results.get(next++);
            if (result.vector() != null) {
                output.embedding(record, result.modelVersion(), result.vector(), embeddedTime);
            } else {
                output.rejection(record, RejectReason.INTERNAL_ERROR, result.error(), result.modelVersion());
            }
        }
    }

    private List<Result> embed(List<PendingRecord> records) throws InterruptedException {
        List<PreparedImage> images = records.stream().map(PendingRecord::image).toList();
        try {
            Embeddings embeddings = model.call(served -> Embeddings.ofImages(served, images));
            metrics.batch(images.size(), embeddings.modelTime());
            List<Result> results = new ArrayList<>(images.size());
            for (float[] vector : embeddings.vectors()) {
                results.add(new Result(embeddings.modelVersion(), vector, null));
            }
            return results;
        } catch (NoModelException | RejectedExecutionException | PreparedImage.SizeChangedException e) {
            throw e;
        } catch (RuntimeException e) {
            if (records.size() == 1) {
                LOG.errorf(e, "embedding image %s failed", records.get(0).input().imageId());
                return List.of(new Result(model.version().orElse(null), null,
                        "the model failed on this image: " + e));
            }
            LOG.warnf("a batch of %d images failed (%s): embedding them one by one", records.size(), e.toString());
            List<Result> results = new ArrayList<>(records.size());
            for (PendingRecord record : records) {
                results.addAll(embed(List.of(record)));
            }
            return results;
        }
    }
}
