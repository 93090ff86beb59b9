package io.clipstream.trainer;

/** Where a training run is. */
public enum RunState {
    /** Loading the checkpoint, importing weights or training the tokenizer. */
    STARTING,
    /** Stepping. */
    TRAINING,
    /** Ready to step, but no batch is ready: the input is idle or slower than the device. */
    WAITING_FOR_PAIRS,
    /** Paused by an operator; checkpoints on request still work. */
    PAUSED,
    /** Evaluating and writing a checkpoint. */
    CHECKPOINTING,
    STOPPING,
    STOPPED,
    /** Stopped by an error; the status says which. */
    FAILED
}
