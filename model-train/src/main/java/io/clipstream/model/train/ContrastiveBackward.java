package io.clipstream.model.train;

import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.Engines;
import io.clipstream.model.engine.GradMode;
import io.clipstream.model.engine.MixedPrecisionStore;
import io.clipstream.model.engine.Precision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

/**
 * Forward and backward of one batch through the contrastive loss, leaving the gradients in the
 * parameters. A batch larger than the micro-batch size is done as OpenCLIP's {@code accum_freq}:
 * first the embeddings of every micro-batch without a graph, then each micro-batch again with a
 * graph, its live embeddings put in place of its cached ones and the FULL batch's loss
 * backpropagated. The loss over micro-batches is not the sum of per-micro-batch losses (every
 * pair is a negative for every other one in the batch); this way each parameter gets exactly the
 * full batch's gradient, at the price of one extra forward pass.
 *
 * <p>One deliberate difference from OpenCLIP: the logit scale is live in the first micro-batch
 * only. OpenCLIP backpropagates it from every micro-batch, which multiplies its gradient by the
 * number of micro-batches.
 */
final class ContrastiveBackward {

    private final ClipModel model;
    private final int microBatchSize;
    private final Precision precision;

    ContrastiveBackward(ClipModel model, int microBatchSize, Precision precision) {
        this.model = model;
        this.microBatchSize = microBatchSize;
        this.precision = precision;
    }

    /**
     * Accumulates the gradient of the batch's loss into the parameters.
     *
     * @param scope owns every array made here; pixels and ids must be in it
     * @return the batch's loss
     */
    float run(NDArray pixels, NDArray ids, NDManager scope) {
        long rows = pixels.getShape().get(0);
        // Mixed precision: the blocks compute their heavy ops from casts of the float32 masters, one per step.
        ParameterStore parameters = MixedPrecisionStore.forTraining(scope, precision);
        if (microBatchSize <= 0 || rows <= microBatchSize) {
            try (GradientCollector collector = Engines.pytorch().newGradientCollector()) {
                NDList out = model.forward(parameters, new NDList(pixels, ids), true);
                NDArray loss = ClipLoss.loss(out.get(0), out.get(1), out.get(2));
                collector.backward(loss);
                return loss.getFloat();
            }
        }
        long[] cuts = cuts(rows, microBatchSize);
        NDList pixelChunks = pixels.split(cuts, 0);
        NDList idChunks = ids.split(cuts, 0);
        int chunks = pixelChunks.size();

        // 1. Every micro-batch's embeddings, without a graph; the batch's loss from them.
        NDArray[] images = new NDArray[chunks];
        NDArray[] texts = new NDArray[chunks];
        float loss;
        try (GradMode off = GradMode.disabled()) {
            NDArray scale = null;
            for (int j = 0; j < chunks; j++) {
                NDList out = model.forward(parameters, new NDList(pixelChunks.get(j), idChunks.get(j)), true);
                images[j] = out.get(0);
                texts[j] = out.get(1);
                scale = out.get(2);
            }
            loss = ClipLoss.loss(concat(images), concat(texts), scale).getFloat();
        }

        // 2. Each micro-batch again with a graph, against the others' cached embeddings.
        try (GradientCollector collector = Engines.pytorch().newGradientCollector()) {
            for (int j = 0; j < chunks; j++) {
                try (NDManager micro = scope.newSubManager()) {
                    micro.tempAttachAll(pixelChunks.get(j), idChunks.get(j));
                    NDList out = model.forward(parameters, new NDList(pixelChunks.get(j), idChunks.get(j)), true);
                    NDArray liveScale = j == 0 ? out.get(2) : out.get(2).stopGradient();
                    NDArray microLoss = ClipLoss.loss(
                            withLive(images, j, out.get(0), micro), withLive(texts, j, out.get(1), micro), liveScale);
                    collector.backward(microLoss);
                }
            }
        }
        return loss;
    }

    /** Split points for chunks of {@code size} rows (the last may be shorter). */
    static long[] cuts(long rows, int size) {
        int count = (int) ((rows - 1) / size);
        long[] cuts = new long[count];
        for (int i = 0; i < count; i++) {
            cuts[i] = (long) (i + 1) * size;
        }
        return cuts;
    }

    private static NDArray concat(NDArray[] parts) {
        return NDArrays.concat(new NDList(parts), 0);
    }

    /** The cached embeddings with chunk {@code j} replaced by the live ones, owned by {@code micro}. */
    private static NDArray withLive(NDArray[] cached, int j, NDArray live, NDManager micro) {
        NDArray[] parts = cached.clone();
        parts[j] = live;
        NDArray all = concat(parts);
        all.attach(micro);
        return all;
    }
}
