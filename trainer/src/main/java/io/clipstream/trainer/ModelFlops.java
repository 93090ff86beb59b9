package io.clipstream.trainer;

import io.clipstream.model.ClipConfig;

/**
 * Model FLOPs of a CLIP training step, counted analytically as for model-FLOPs utilisation (MFU, PaLM appendix B):
 * the matrix products of the forward pass (a multiply-add is 2 FLOPs; patch embedding, q/k/v, attention scores and
 * context, output projection, MLP, final projections, the batch's similarity matrix), times 3 for forward plus
 * backward. LayerNorm, softmax, activations and the optimiser are left out (a few per cent). Recomputation would
 * not count: this is the work the model needs, not the work done.
 */
public final class ModelFlops {

    private ModelFlops() {
    }

    /** FLOPs of one training step over {@code batch} pairs whose token rows are {@code textLength} long. */
    public static double trainingStep(ClipConfig c, long batch, long textLength) {
        double forward = batch * (imageForward(c) + textForward(c, textLength))
                + 2.0 * 2.0 * batch * batch * c.embedDim(); // logits both ways
        return 3 * forward;
    }

    /** Patch embedding, the transformer over grid² + 1 tokens, the class token's projection. */
    static double imageForward(ClipConfig c) {
        int grid = c.gridSize();
        double patches = 2.0 * grid * grid * (3.0 * c.patchSize() * c.patchSize()) * c.visionWidth();
        return patches + transformer(c.visionTokens(), c.visionWidth(), c.visionLayers(), c.visionTower().mlpWidth())
                + 2.0 * c.visionWidth() * c.embedDim();
    }

    /** The causal transformer over the whole row (the mask saves no work in a dense kernel) and one projection. */
    static double textForward(ClipConfig c, long textLength) {
        return transformer(textLength, c.textWidth(), c.textLayers(), c.textTower().mlpWidth())
                + 2.0 * c.textWidth() * c.embedDim();
    }

    static double transformer(long tokens, int width, int layers, int mlpWidth) {
        double n = tokens;
        double w = width;
        double qkv = 2 * n * w * 3 * w;
        double scoresAndContext = 2 * (2 * n * n * w);
        double out = 2 * n * w * w;
        double mlp = 2 * (2 * n * w * mlpWidth);
        return layers * (qkv + scoresAndContext + out + mlp);
    }
}
