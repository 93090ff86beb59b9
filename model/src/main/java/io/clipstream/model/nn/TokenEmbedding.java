package io.clipstream.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;

/** Token ids [N, L] to vectors [N, L, width] by a lookup in {@code weight} [vocab, width]. */
public final class TokenEmbedding extends UnaryBlock {

    /** OpenCLIP: {@code nn.init.normal_(token_embedding.weight, std=0.02)}. */
    private static final float INIT_STD = 0.02f;

    private final int vocabSize;
    private final int width;
    private final Parameter weight;

    public TokenEmbedding(int vocabSize, int width) {
        this.vocabSize = vocabSize;
        this.width = width;
        weight = parameter("weight", Parameter.Type.WEIGHT, new Shape(vocabSize, width),
                new NormalInitializer(INIT_STD));
    }

    /** Looks the ids (INT32/INT64) up; the result joins {@code ids}' manager. */
    @Override
    public NDArray apply(ParameterStore parameters, NDArray ids, boolean training) {
        return Embedding.embedding(ids, value(parameters, weight, ids, training), SparseFormat.DENSE)
                .singletonOrThrow();
    }

    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(width)};
    }
}
