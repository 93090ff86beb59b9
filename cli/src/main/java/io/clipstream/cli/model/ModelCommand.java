package io.clipstream.cli.model;

import io.clipstream.model.ClipConfig;
import io.clipstream.model.ClipModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code clipstream model info}: a config and its parameter count. */
@Command(name = "model", description = "Model configurations.", subcommands = ModelCommand.Info.class)
public final class ModelCommand {

    @Command(name = "info", mixinStandardHelpOptions = true, description = "Print a model config and its parameter count.")
    static final class Info implements Callable<Integer> {

        @Option(names = "--config", required = true,
                description = "A preset (${COMPLETION-CANDIDATES}) or a config JSON file.", completionCandidates = Presets.class)
        String config;

        @Override
        public Integer call() throws Exception {
            ClipConfig resolved = Files.isRegularFile(Path.of(config))
                    ? ClipConfig.fromJson(Files.readString(Path.of(config))) : ClipConfig.preset(config);
            ClipModel model = new ClipModel(resolved);
            System.out.println(resolved.toJson());
            System.out.printf("parameters: %,d%n", model.parameterCount());
            return 0;
        }
    }

    /** Preset names for help and completion. */
    static final class Presets implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return new java.util.TreeSet<>(ClipConfig.presetNames()).iterator();
        }
    }
}
