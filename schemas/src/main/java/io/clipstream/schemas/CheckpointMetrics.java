package io.clipstream.schemas;

/**
 * The names of the metrics in a {@link Checkpoint}'s map and in checkpoint manifests: the trainer writes them, tools
 * and operators read them (one name per thing, everywhere).
 */
public final class CheckpointMetrics {

    public static final String IMAGE_TO_TEXT_R1 = "image_to_text_recall_at_1";
    public static final String IMAGE_TO_TEXT_R5 = "image_to_text_recall_at_5";
    public static final String TEXT_TO_IMAGE_R1 = "text_to_image_recall_at_1";
    public static final String TEXT_TO_IMAGE_R5 = "text_to_image_recall_at_5";
    /** Mean contrastive loss over the evaluation pool, in batches of the training batch size. */
    public static final String EVAL_LOSS = "eval_loss";
    /** Candidates each retrieval query is ranked among. */
    public static final String EVAL_POOL_SIZE = "eval_pool_size";
    /** The loss of the last training step before the checkpoint. */
    public static final String TRAIN_LOSS = "train_loss";
    public static final String LOGIT_SCALE = "logit_scale";

    /**
     * The significance each measure was tested at by the guardrail's paired test (the configured false-reject rate
     * over the measures compared); the change intervals are two-sided at 1 − 2 × this.
     */
    public static final String GUARDRAIL_MEASURE_SIGNIFICANCE = "guardrail_measure_significance";

    private static final String ZERO_SHOT = "zero_shot_";

    private CheckpointMetrics() {
    }

    /** {@code zero_shot_<suite>_top1} / {@code _top5}. */
    public static String zeroShot(String suite, int k) {
        return ZERO_SHOT + suite + "_top" + k;
    }

    /** The guardrail's paired comparison of a measure with the baseline's on the same pool: candidate − baseline. */
    public static String change(String measure) {
        return measure + "_change";
    }

    /** The lower end of the change's confidence interval. */
    public static String changeLow(String measure) {
        return measure + "_change_ci_low";
    }

    /** The upper end of the change's confidence interval. */
    public static String changeHigh(String measure) {
        return measure + "_change_ci_high";
    }

    /** The one-sided exact McNemar p-value of the candidate being worse. */
    public static String changePValue(String measure) {
        return measure + "_change_p_value";
    }

    public static boolean isRecall(String name) {
        return name.contains("_recall_at_");
    }

    public static boolean isZeroShot(String name) {
        return name.startsWith(ZERO_SHOT);
    }
}
