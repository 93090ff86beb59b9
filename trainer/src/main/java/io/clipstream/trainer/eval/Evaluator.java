package io.clipstream.trainer.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import io.clipstream.model.ClipModel;
import io.clipstream.model.TextTokenizer;
import io.clipstream.model.engine.GradMode;
import io.clipstream.model.engine.PixelTensors;
import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.image.RgbImage;
import io.clipstream.model.train.ClipLoss;
import io.clipstream.model.train.Evaluation;
import io.clipstream.model.train.RetrievalRecall;
import io.clipstream.model.train.ZeroShotAccuracy;
import io.clipstream.model.zeroshot.ZeroShotHead;
import io.clipstream.schemas.CheckpointMetrics;
import io.clipstream.trainer.data.StreamPair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Held-out measures of a model: image→text and text→image recall@1 and @5 with the whole evaluation pool as the
 * candidates, the mean contrastive loss over the pool in batches of the training batch size, and the top-1/top-5
 * accuracy of every zero-shot suite. Runs without autograd; every array is closed.
 */
public final class Evaluator {

    private final int lossBatch;
    private final int chunk;
    private final List<ZeroShotSuite> suites;

    /**
     * @param lossBatch pairs per loss computation (the training batch size, so the losses compare)
     * @param chunk rows per encoder call
     */
    public Evaluator(int lossBatch, int chunk, List<ZeroShotSuite> suites) {
        this.lossBatch = lossBatch;
        this.chunk = chunk;
        this.suites = List.copyOf(suites);
    }

    /**
     * The measures of {@code model} on {@code pool}, with the per-item hits of those that count hits, computed in a
     * sub-manager of {@code manager} (the model's device).
     */
    public HeldOutResults evaluate(ClipModel model, TextTokenizer tokenizer, List<StreamPair> pool,
            NDManager manager) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, boolean[]> hits = new LinkedHashMap<>();
        ClipImageTransform transform = ClipImageTransform.openAi(model.config().imageSize());
        try (GradMode off = GradMode.disabled(); NDManager scope = manager.newSubManager(model.device())) {
            metrics.put(CheckpointMetrics.EVAL_POOL_SIZE, (double) pool.size());
            if (pool.size() >= 2) {
                NDArray images = encode(model::encodeImageNormalized, pool.stream().map(StreamPair::image).toList(),
                        transform, scope);
                NDArray texts = encodeTexts(model, tokenizer, pool.stream().map(StreamPair::caption).toList(), scope);
                RetrievalRecall recall = Evaluation.retrievalRecall(images, texts, 1, 5);
                metrics.put(CheckpointMetrics.IMAGE_TO_TEXT_R1, recall.imageToText(1));
                metrics.put(CheckpointMetrics.IMAGE_TO_TEXT_R5, recall.imageToText(5));
                metrics.put(CheckpointMetrics.TEXT_TO_IMAGE_R1, recall.textToImage(1));
                metrics.put(CheckpointMetrics.TEXT_TO_IMAGE_R5, recall.textToImage(5));
                hits.put(CheckpointMetrics.IMAGE_TO_TEXT_R1, recall.imageToTextHits(1));
                hits.put(CheckpointMetrics.IMAGE_TO_TEXT_R5, recall.imageToTextHits(5));
                hits.put(CheckpointMetrics.TEXT_TO_IMAGE_R1, recall.textToImageHits(1));
                hits.put(CheckpointMetrics.TEXT_TO_IMAGE_R5, recall.textToImageHits(5));
                metrics.put(CheckpointMetrics.EVAL_LOSS, meanLoss(images, texts, scope.create(model.logitScale())));
            }
            for (ZeroShotSuite suite : suites) {
                try (ZeroShotHead head = ZeroShotHead.build(model, tokenizer, suite.labels(), suite.templates(),
                        scope)) {
                    NDArray features = encode(model::encodeImage, suite.images(), transform, scope);
                    ZeroShotAccuracy accuracy = Evaluation.zeroShotAccuracy(head, features, suite.labelOfImage());
                    metrics.put(CheckpointMetrics.zeroShot(suite.name(), 1), accuracy.top1());
                    metrics.put(CheckpointMetrics.zeroShot(suite.name(), 5), accuracy.top5());
                    hits.put(CheckpointMetrics.zeroShot(suite.name(), 1), accuracy.hits(1));
                    hits.put(CheckpointMetrics.zeroShot(suite.name(), 5), accuracy.hits(5));
                }
            }
        }
        return new HeldOutResults(metrics, hits);
    }

    /** The loss of consecutive batches of {@code lossBatch} pairs (a last batch of fewer than 2 left out), averaged. */
    private double meanLoss(NDArray images, NDArray texts, NDArray scale) {
        long rows = images.getShape().get(0);
        double sum = 0;
        int batches = 0;
        for (long start = 0; rows - start >= 2; start += lossBatch) {
            long end = Math.min(rows, start + lossBatch);
            NDIndex slice = new NDIndex("{}:{}", start, end);
            try (NDArray image = images.get(slice); NDArray text = texts.get(slice);
                    NDArray loss = ClipLoss.loss(image, text, scale)) {
                sum += loss.getFloat();
            }
            batches++;
        }
        return sum / batches;
    }

    private NDArray encode(Function<NDArray, NDArray> encoder, List<RgbImage> images, ClipImageTransform transform,
            NDManager scope) {
        NDList parts = new NDList();
        for (int start = 0; start < images.size(); start += chunk) {
            try (NDManager batch = scope.newSubManager()) {
                NDArray encoded = encoder.apply(PixelTensors.of(batch, transform,
                        images.subList(start, Math.min(images.size(), start + chunk))));
                encoded.attach(scope);
                parts.add(encoded);
            }
        }
        return concat(parts, scope);
    }

    private NDArray encodeTexts(ClipModel model, TextTokenizer tokenizer, List<String> captions, NDManager scope) {
        NDList parts = new NDList();
        for (int start = 0; start < captions.size(); start += chunk) {
            try (NDManager batch = scope.newSubManager()) {
                long[][] ids = tokenizer.tokenizeBatch(captions.subList(start, Math.min(captions.size(), start + chunk)));
                NDArray encoded = model.encodeTextNormalized(batch.create(ids));
                encoded.attach(scope);
                parts.add(encoded);
            }
        }
        return concat(parts, scope);
    }

    private static NDArray concat(NDList parts, NDManager scope) {
        if (parts.size() == 1) {
            return parts.head();
        }
        NDArray all = NDArrays.concat(parts, 0);
        all.attach(scope);
        parts.close();
        return all;
    }
}
