package io.clipstream.model.train;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import io.clipstream.model.engine.Engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Where a training test starts: a freshly initialised model and one batch of {@link RandomPairs} for it (pixels
 * seeded 1, token ids seeded 2), all in one manager.
 */
record TrainingStart(ClipModel model, NDArray pixels, NDArray ids) {

    /** Initial weights from PyTorch's generator as it stands. */
    static TrainingStart of(NDManager manager, ClipConfig config, int pairs) {
        return new TrainingStart(new ClipModel(config).initialize(manager),
                RandomPairs.pixels(manager, config, pairs, 1), RandomPairs.tokenIds(manager, config, pairs, 2));
    }

    /** Initial weights that repeat: PyTorch's generator seeded with {@code seed} first. */
    static TrainingStart seeded(NDManager manager, ClipConfig config, int pairs, int seed) {
        Engines.pytorch().setRandomSeed(seed);
        return of(manager, config, pairs);
    }
}
