package io.clipstream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;

import java.util.Arrays;

/**
 * CLIP's text tower: {@code token_embedding}, {@code positional_embedding}, a causally masked
 * transformer, {@code ln_final} and {@code text_projection} [width, embed], read at the position
 * of each row's highest token id, which in CLIP's vocabulary is the end-of-text token.
 */
public final class TextTransformer extends UnaryBlock {

    /** OpenCLIP: {@code nn.init.normal_(positional_embedding, std=0.01)}. */
    private static final float POSITIONAL_INIT_STD = 0.01f;

    private final int contextLength;
    private final int embedDim;
    private final TokenEmbedding tokenEmbedding;
    private final Parameter positionalEmbedding;
    private final Transformer transformer;
    private final LayerNorm lnFinal;
    private final Parameter textProjection;

    public TextTransformer(int contextLength, int vocabSize, TransformerSpec tower, int embedDim) {
        this.contextLength = contextLength;
        this.embedDim = embedDim;
        int width = tower.width();
        tokenEmbedding = child("token_embedding", new TokenEmbedding(vocabSize, width));
        positionalEmbedding = parameter("positional_embedding", Parameter.Type.WEIGHT,
                new Shape(contextLength, width), new NormalInitializer(POSITIONAL_INIT_STD));
        transformer = child("transformer", new Transformer(tower));
        lnFinal = child("ln_final", new LayerNorm(width, tower.layerNormEps()));
        textProjection = parameter("text_projection", Parameter.Type.WEIGHT,
                new Shape(width, embedDim), new NormalInitializer((float) Math.pow(width, -0.5)));
    }

    /**
     * Token ids [N, L ≤ context] (INT32/INT64) to text features [N, embed], projected and not yet
     * L2-normalised. The result joins {@code ids}' manager.
     */
    @Override
    public NDArray apply(ParameterStore parameters, NDArray ids, boolean training) {
        Shape s = ids.getShape();
        if (s.dimension() != 2 || s.get(1) > contextLength || s.get(1) < 1) {
            throw new IllegalArgumentException(
                    "Expected token ids [N, L <= " + contextLength + "], got " + s);
        }
        long n = s.get(0);
        int len = (int) s.get(1);
        try (NDManager scope = scopeFor(ids)) {
            NDArray positions = value(parameters, positionalEmbedding, ids, training);
            if (len < contextLength) {
                positions = positions.get(scope, new NDIndex("0:{}", len));
            }
            NDArray tokens = tokenEmbedding.apply(parameters, ids, training).add(positions);
            NDArray encoded = transformer.apply(parameters, tokens, causalMask(scope, len), training);
            NDArray endOfText = ids.argMax(1);
            NDArray rows = scope.arange(0, (int) n, 1, DataType.INT64);
            // LayerNorm is per token: normalising only the pooled tokens equals OpenAI's order.
            NDArray pooled = lnFinal.apply(parameters,
                    encoded.get(new NDIndex("{}, {}", rows, endOfText)), training);
            return scope.ret(product(parameters, pooled, value(parameters, textProjection, ids, training)));
        }
    }

    /** Additive mask [L, L]: −∞ above the diagonal, so a token sees only itself and earlier ones. */
    static NDArray causalMask(NDManager manager, int len) {
        float[] mask = new float[len * len];
        for (int row = 0; row < len; row++) {
            Arrays.fill(mask, row * len + row + 1, (row + 1) * len, Float.NEGATIVE_INFINITY);
        }
        return manager.create(mask, new Shape(len, len));
    }

    public int contextLength() {
        return contextLength;
    }

    public Transformer transformer() {
        return transformer;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), embedDim)};
    }
}
