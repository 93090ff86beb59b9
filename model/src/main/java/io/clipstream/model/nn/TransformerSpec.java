package io.clipstream.model.nn;

/**
 * The sizes of one transformer tower: everything a {@link ResidualAttentionBlock} needs. Both CLIP
 * towers are the same block class with different specs.
 *
 * @param width residual stream width
 * @param layers number of residual attention blocks
 * @param heads attention heads; {@code width} must be a multiple of it
 * @param mlpWidth hidden width of the MLP ({@code width * mlp_ratio})
 * @param activation MLP non-linearity
 * @param layerNormEps epsilon of every LayerNorm in the tower
 */
public record TransformerSpec(
        int width, int layers, int heads, int mlpWidth, Activation activation, double layerNormEps) {

    public TransformerSpec {
        if (width <= 0 || layers <= 0 || heads <= 0 || mlpWidth <= 0) {
            throw new IllegalArgumentException("Transformer sizes must be positive: " + this);
        }
        if (width % heads != 0) {
            throw new IllegalArgumentException(
                    "Transformer width " + width + " is not divisible by " + heads + " heads");
        }
        if (activation == null || !(layerNormEps > 0)) {
            throw new IllegalArgumentException("Transformer needs an activation and eps > 0: " + this);
        }
    }

    public int headWidth() {
        return width / heads;
    }
}
