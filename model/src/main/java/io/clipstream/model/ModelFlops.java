package io.clipstream.model;

/**
 * Analytic forward FLOPs of CLIP's towers per item (a multiply-add is 2): the matrix products of
 * patch embedding, attention (q/k/v, scores, context, output) and MLP, plus the final
 * projection; LayerNorm, softmax, activations and additions are left out (&lt;2% here).
 */
public final class ModelFlops {

    private ModelFlops() {
    }

    /** Patch embedding + transformer over grid²+1 tokens + projection of the class token. */
    public static double image(ClipConfig c) {
        int grid = c.gridSize();
        double patches = 2.0 * grid * grid * (3.0 * c.patchSize() * c.patchSize()) * c.visionWidth();
        return patches + transformer(c.visionTokens(), c.visionWidth(), c.visionLayers(), c.visionTower().mlpWidth())
                + 2.0 * c.visionWidth() * c.embedDim();
    }

    /** Transformer over the full context (the causal mask does not skip work) + one projection. */
    public static double text(ClipConfig c) {
        return text(c, c.contextLength());
    }

    /** The text tower over {@code tokens} positions (rows trimmed to their longest caption). */
    public static double text(ClipConfig c, int tokens) {
        return transformer(tokens, c.textWidth(), c.textLayers(), c.textTower().mlpWidth())
                + 2.0 * c.textWidth() * c.embedDim();
    }

    public static double transformer(int tokens, int width, int layers, int mlpWidth) {
        double n = tokens;
        double w = width;
        double qkv = 2 * n * w * 3 * w;
        double scoresAndContext = 2 * (2 * n * n * w);
        double out = 2 * n * w * w;
        double mlp = 2 * (2 * n * w * mlpWidth);
        return layers * (qkv + scoresAndContext + out + mlp);
    }
}
