package io.clipstream.trainer;

import ai.djl.ndarray.NDManager;
import io.clipstream.model.train.PairBatch;
import io.clipstream.trainer.data.Batch;

/**
 * A batch whose tensors are made (on the model's device), waiting for its step. Its arrays live in a manager of
 * their own, closed after the step.
 */
record PreparedBatch(Batch batch, PairBatch tensors, NDManager scope) implements AutoCloseable {

    @Override
    public void close() {
        scope.close();
    }
}
