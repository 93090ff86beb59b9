package io.clipstream.cli.checkpoints;

import io.clipstream.cli.kafka.KafkaOptions;
import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.CheckpointMetrics;
import io.clipstream.schemas.SourceOffset;
import io.clipstream.schemas.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code clipstream checkpoints list|show|plot}: the model versions the trainer announced, read from the compacted topic. */
@Command(name = "checkpoints", description = "Model versions announced by the trainer on " + Topics.CHECKPOINTS + ".",
        subcommands = {CheckpointsCommand.ListCommand.class, CheckpointsCommand.ShowCommand.class,
            CheckpointsCommand.PlotCommand.class})
public final class CheckpointsCommand {

    /** Where the announcements are: options every subcommand shares, and {@code clipstream rollout} too. */
    public static final class Source {

        @Mixin
        KafkaOptions kafka;

        @Option(names = "--topic", defaultValue = Topics.CHECKPOINTS,
                description = "The checkpoints topic (default: ${DEFAULT-VALUE}).")
        String topic;

        @Option(names = "--timeout", defaultValue = "PT30S",
                description = "How long reading the topic to its end may take (ISO-8601, default: ${DEFAULT-VALUE}).")
        Duration timeout;

        public CheckpointLog read() {
            return CheckpointLog.read(kafka.settings(), topic, kafka.timeout(), timeout);
        }

        public String topic() {
            return topic;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Every announced model version, oldest first: status, step, samples, held-out recall@5.")
    static final class ListCommand implements Callable<Integer> {

        @Mixin
        Source source;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            CheckpointLog log = source.read();
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "%-10s %-10s %-11s %9s %12s %9s %9s  %s%n",
                    "VERSION", "PARENT", "STATUS", "STEP", "SAMPLES", "I2T R@5", "T2I R@5", "CREATED");
            for (Checkpoint c : log.ordered()) {
                out.printf(Locale.ROOT, "%-10s %-10s %-11s %9d %12d %9s %9s  %s%n",
                        c.getVersion(), c.getParent() == null ? "-" : c.getParent(), c.getStatus(), c.getStep(),
                        c.getSamplesSeen(), metric(c, CheckpointMetrics.IMAGE_TO_TEXT_R5), metric(c, CheckpointMetrics.TEXT_TO_IMAGE_R5),
                        c.getCreatedTime());
            }
            out.flush();
            warnUnreadable(log);
            return 0;
        }

        private void warnUnreadable(CheckpointLog log) {
            if (!log.unreadable().isEmpty()) {
                spec.commandLine().getErr().println(log.unreadable().size() + " unreadable record(s): "
                        + String.join("; ", log.unreadable()));
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "One model version: status and reason, metrics, sha256, source offsets and lineage.")
    static final class ShowCommand implements Callable<Integer> {

        @Parameters(paramLabel = "VERSION", description = "The model version.")
        String version;

        @Mixin
        Source source;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            CheckpointLog log = source.read();
            Checkpoint c = log.find(version).orElse(null);
            if (c == null) {
                spec.commandLine().getErr().println("No model version " + version + " on " + source.topic
                        + "; announced: " + log.ordered().stream().map(Checkpoint::getVersion).toList());
                return 1;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("version:      " + c.getVersion());
            out.println("status:       " + c.getStatus()
                    + (c.getStatusReason() == null ? "" : " (" + c.getStatusReason() + ")"));
            out.println("parent:       " + (c.getParent() == null ? "-" : c.getParent()));
            out.println("lineage:      " + String.join(" <- ", lineage(log, c.getVersion())));
            out.println("step:         " + c.getStep());
            out.println("samples seen: " + c.getSamplesSeen());
            out.println("created:      " + c.getCreatedTime());
            Instant freshness = c.getFreshness();
            out.println("freshness:    " + (freshness == null ? "-" : freshness + " (newest event trained on)"));
            out.println("artifact:     " + c.getArtifactUri());
            out.println("sha256:       " + c.getSha256());
            out.println("offsets:");
            for (SourceOffset offset : c.getSourceOffsets()) {
                out.printf(Locale.ROOT, "  %s/%d  %d%n", offset.getTopic(), offset.getPartition(), offset.getOffset());
            }
            out.println("metrics:");
            for (Map.Entry<String, Double> metric : new TreeMap<>(c.getMetrics()).entrySet()) {
                out.printf(Locale.ROOT, "  %-34s %.6g%n", metric.getKey(), metric.getValue());
            }
            out.println("config:       " + c.getConfig().replaceAll("\\s+", " "));
            out.flush();
            return 0;
        }

        /** Each ancestor with its status, so a rejected link in the chain shows. */
        private static List<String> lineage(CheckpointLog log, String version) {
            return log.lineage(version).stream()
                    .map(v -> v + log.find(v).map(c -> " (" + c.getStatus() + ")").orElse(" (not announced)"))
                    .toList();
        }
    }

    @Command(name = "plot", mixinStandardHelpOptions = true,
            description = "A PNG of the run's learning curve: train and eval loss, held-out recall@5 both ways and "
                    + "zero-shot top-1, against steps, from the announced checkpoints' metrics.")
    static final class PlotCommand implements Callable<Integer> {

        @Mixin
        Source source;

        @Option(names = {"-o", "--out"}, defaultValue = "learning-curve.png",
                description = "The PNG to write (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--width", defaultValue = "1000", description = "Pixels (default: ${DEFAULT-VALUE}).")
        int width;

        @Option(names = "--height", defaultValue = "700", description = "Pixels (default: ${DEFAULT-VALUE}).")
        int height;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (width < 200 || height < 150 || width > 8000 || height > 8000) {
                spec.commandLine().getErr().println("--width and --height must be within 200×150 and 8000×8000");
                return 2;
            }
            CheckpointLog log = source.read();
            LearningCurve curve = LearningCurve.of(log.checkpoints().values());
            if (curve.isEmpty()) {
                spec.commandLine().getErr().println("No checkpoint on " + source.topic()
                        + " carries metrics yet: nothing to plot (the trainer announces one per checkpoint interval).");
                return 1;
            }
            LearningCurveChart.writePng(curve, "Learning curve (" + curve.checkpoints() + " checkpoints)", out, width,
                    height);
            spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s (%d checkpoints, steps %d–%d)%n",
                    out.toAbsolutePath(), curve.checkpoints(), curve.firstStep(), curve.lastStep());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    private static String metric(Checkpoint c, String name) {
        Double value = c.getMetrics().get(name);
        return value == null ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }
}
