package io.clipstream.model.nn;

import io.clipstream.model.engine.Bfloat16;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;

/**
 * CLIP's image tower: patch embedding ({@code conv1}, no bias), a class token
 * ({@code class_embedding}) in front, {@code positional_embedding}, {@code ln_pre}, the
 * transformer, {@code ln_post} on the class token and {@code proj} [width, embed].
 */
public final class VisionTransformer extends UnaryBlock {

    private final int imageSize;
    private final int width;
    private final int embedDim;
    private final PatchEmbedding conv1;
    private final Parameter classEmbedding;
    private final Parameter positionalEmbedding;
    private final LayerNorm lnPre;
    private final Transformer transformer;
    private final LayerNorm lnPost;
    private final Parameter proj;

    public VisionTransformer(int imageSize, int patchSize, TransformerSpec tower, int embedDim) {
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException(
                    "image size " + imageSize + " is not a multiple of patch size " + patchSize);
        }
        this.imageSize = imageSize;
        this.width = tower.width();
        this.embedDim = embedDim;
        int grid = imageSize / patchSize;
        // OpenAI: class/positional embeddings and proj are width^-0.5 * randn.
        NormalInitializer scaled = new NormalInitializer((float) Math.pow(width, -0.5));
        conv1 = child("conv1", new PatchEmbedding(patchSize, width));
        classEmbedding = parameter("class_embedding", Parameter.Type.WEIGHT, new Shape(width), scaled);
        positionalEmbedding = parameter("positional_embedding", Parameter.Type.WEIGHT,
                new Shape(grid * grid + 1, width), scaled);
        lnPre = child("ln_pre", new LayerNorm(width, tower.layerNormEps()));
        transformer = child("transformer", new Transformer(tower));
        lnPost = child("ln_post", new LayerNorm(width, tower.layerNormEps()));
        proj = parameter("proj", Parameter.Type.WEIGHT, new Shape(width, embedDim), scaled);
    }

    /**
     * Pixels [N, 3, size, size] (float32, normalised) to image features [N, embed], projected and
     * not yet L2-normalised. The result joins {@code pixels}' manager.
     */
    @Override
    public NDArray apply(ParameterStore parameters, NDArray pixels, boolean training) {
        Shape s = pixels.getShape();
        if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) != imageSize || s.get(3) != imageSize) {
            throw new IllegalArgumentException("Expected pixels [N, 3, " + imageSize + ", " + imageSize
                    + "], got " + s);
        }
        try (NDManager scope = scopeFor(pixels)) {
            NDArray patches = conv1.apply(parameters, pixels, training); // [N, grid², width]
            // zeros + class embedding: a per-image copy that the scope owns and autograd follows.
            NDArray zeros = Bfloat16.isBfloat16(patches)
                    ? Bfloat16.zerosLike(patches.get(":, 0:1, :"))
                    : scope.zeros(new Shape(s.get(0), 1, width), pixels.getDataType());
            NDArray classTokens = zeros.add(value(parameters, classEmbedding, pixels, training));
            NDArray tokens = classTokens.concat(patches, 1)
                    .add(value(parameters, positionalEmbedding, pixels, training));
            NDArray encoded = transformer.apply(parameters, lnPre.apply(parameters, tokens, training),
                    null, training);
            NDArray pooled = lnPost.apply(parameters, encoded.get(":, 0, :"), training);
            return scope.ret(product(parameters, pooled, value(parameters, proj, pixels, training)));
        }
    }

    public Transformer transformer() {
        return transformer;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), embedDim)};
    }
}
