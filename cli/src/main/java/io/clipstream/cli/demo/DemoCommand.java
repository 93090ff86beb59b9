package io.clipstream.cli.demo;

import io.clipstream.cli.local.LocalRunException;
import io.clipstream.cli.local.StackOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code clipstream demo}: the whole mission on one machine, from a real corpus to scored classifications. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {
                "Train a small CLIP from scratch on one art style of emoji and classify the other, end to end on "
                        + "this machine: obtain the corpus, start Kafka and the services, publish pairs, train, roll "
                        + "out the checkpoint, register a label set, publish images and score the classifications.",
                "The last line is machine-readable: demo: top1=… top5=… chance=… labels=… images=… p50_ms=… "
                        + "p99_ms=… checkpoint=…"})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--dataset", paramLabel = "DIR", description = {
            "A corpus folder: pairs.jsonl with a folder per style, e.g. google/ and twitter/ (as the emoji fixture), or images with "
                    + "same-named .txt captions (one style: the demo then classifies the images it trained on, "
                    + "each caption being its label).",
            "Default: the emoji corpus in $CLIPSTREAM_CACHE or ~/.cache/clipstream, downloaded once with npm."})
    Path dataset;

    @Option(names = "--held-out-style", paramLabel = "STYLE", description = "The style classified, never trained on; the others are trained on. Default: twitter.")
    String heldOutStyle;

    @Option(names = "--labels", defaultValue = "100", description = "Labels in the label set (chosen at random). Default: ${DEFAULT-VALUE}.")
    int labels;

    @Option(names = "--draws", defaultValue = "5", description = "Draws of labels the accuracy is averaged over, with its standard error (each draw classifies its labels' images). Default: ${DEFAULT-VALUE}.")
    int draws;

    @Option(names = "--steps", description = "Training budget in steps; the checkpoint at this step is rolled out. Default: "
            + TrainingPrecision.BF16_STEPS + " where the CPU computes bf16 natively (the trainer then trains in bf16), "
            + TrainingPrecision.FP32_STEPS + " elsewhere (fp32): about the same time.")
    Integer steps;

    @Option(names = "--train-pairs", paramLabel = "N", description = "Train on at most N pairs, those of the chosen labels first (default: all).")
    Integer trainPairs;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the label choice and pair order. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--template", description = "The single prompt template compared with the label alone and the ensemble, {} standing for the label. Default: \"an emoji of {}.\"")
    String template;

    @Option(names = "--full-captions", description = "Train on the corpus's whole captions (\"label — keywords\") instead of each drawing's name; the prompts stay the labels.")
    boolean fullCaptions;

    @Option(names = "--image-rate", defaultValue = "20", paramLabel = "PER_SECOND", description = "Images published per second, as a stream (latency is then that of one image, not of a queue). Default: ${DEFAULT-VALUE}.")
    double imageRate;

    @Option(names = "--keep-running", description = "Leave Kafka and the services running after the summary, until Ctrl-C.")
    boolean keepRunning;

    @Option(names = "--phase-timeout", defaultValue = "900", description = "Seconds ingest, training and classification may each take. Default: ${DEFAULT-VALUE}.")
    long phaseTimeoutSeconds;

    @Mixin
    StackOptions stack;

    @Override
    public Integer call() throws Exception {
        TrainingPrecision precision = TrainingPrecision.forThisCpu();
        DemoRun.Options options = new DemoRun.Options(dataset, heldOutStyle, labels, draws, trainPairs,
                steps != null ? steps : precision.defaultSteps(), precision, seed, template, fullCaptions, imageRate,
                keepRunning, stack.kafkaPort(), stack.httpPort(), stack.startTimeoutSeconds(), phaseTimeoutSeconds,
                stack.home());
        try {
            return new DemoRun(options, new DemoDisplay(System.out, System.console() != null)).run();
        } catch (DemoFailure | LocalRunException e) {
            System.out.flush();
            System.err.println("clipstream demo: " + e.getMessage());
            return 1;
        }
    }
}
