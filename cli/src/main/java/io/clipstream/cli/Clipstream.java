package io.clipstream.cli;

import io.clipstream.cli.local.LocalCommand;
import io.clipstream.cli.model.EmbedCommand;
import io.clipstream.cli.model.ModelCommand;
import io.clipstream.cli.model.PreprocessCommand;
import io.clipstream.cli.model.TokenizeCommand;
import io.clipstream.cli.model.TokenizerCommand;
import io.clipstream.cli.pairs.PairsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code clipstream}: run Clipstream locally, publish and subscribe, manage label sets and checkpoints. */
@Command(name = "clipstream", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "CLIP image/text embeddings on Kafka: ingest, continual training, embedding, zero-shot classification, search.",
        subcommands = {
                VersionCommand.class,
                io.clipstream.cli.classify.LabelSetsCommand.class, io.clipstream.cli.classify.ClassificationsCommand.class,
                LocalCommand.class,
                io.clipstream.cli.demo.DemoCommand.class,
                PairsCommand.class,
                TokenizeCommand.class,
                PreprocessCommand.class,
                ModelCommand.class,
                EmbedCommand.class,
                TokenizerCommand.class,
                io.clipstream.cli.checkpoints.CheckpointsCommand.class,
                io.clipstream.cli.rollout.RolloutCommand.class,
                io.clipstream.cli.images.ImagesCommand.class,
                io.clipstream.cli.bench.BenchCommand.class,
                io.clipstream.cli.search.SearchCommand.class,
                CommandLine.HelpCommand.class})
public final class Clipstream implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and the tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new Clipstream()).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new UserErrors());
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
