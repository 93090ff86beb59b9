package io.clipstream.trainer;

import io.clipstream.model.train.StepResult;
import io.clipstream.trainer.checkpoint.StoredCheckpoint;
import io.clipstream.trainer.data.Batch;
import io.clipstream.trainer.data.StreamPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Records what a run trained on, step by step: the trained pair ids made observable for tests. */
public final class RecordingListener implements TrainingListener {

    /** One applied step. */
    public record Step(long step, List<String> fresh, List<String> replayed, float loss, Duration inputWait) {
    }

    private final List<Step> steps = new ArrayList<>();
    private final List<StoredCheckpoint> checkpoints = new ArrayList<>();
    private final Consumer<Step> onStep;

    public RecordingListener() {
        this(step -> { });
    }

    /** @param onStep called on the training thread after each step (e.g. to pause the run at a known step) */
    public RecordingListener(Consumer<Step> onStep) {
        this.onStep = onStep;
    }

    @Override
    public void stepped(Batch batch, StepResult result, Duration stepTime, Duration inputWait) {
        Step step = new Step(result.step(), batch.fresh().stream().map(StreamPair::pairId).toList(),
                batch.replayed().stream().map(StreamPair::pairId).toList(), result.loss(), inputWait);
        synchronized (this) {
            steps.add(step);
        }
        onStep.accept(step);
    }

    @Override
    public synchronized void checkpointed(StoredCheckpoint checkpoint, Duration evaluationTime, Duration totalTime) {
        checkpoints.add(checkpoint);
    }

    public synchronized List<Step> steps() {
        return List.copyOf(steps);
    }

    public synchronized List<StoredCheckpoint> checkpoints() {
        return List.copyOf(checkpoints);
    }

    /** Every fresh pair id trained in steps up to {@code lastStep}, in order (duplicates kept, to be counted). */
    public synchronized List<String> freshUpTo(long lastStep) {
        List<String> ids = new ArrayList<>();
        steps.stream().filter(s -> s.step() <= lastStep).forEach(s -> ids.addAll(s.fresh()));
        return ids;
    }
}
