package io.clipstream.cli.pairs;

import io.clipstream.cli.kafka.KafkaOptions;
import io.clipstream.cli.kafka.Progress;
import io.clipstream.schemas.Topics;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code clipstream pairs import}: publish image–text pairs to clipstream.pairs.raw. */
@Command(name = "pairs", description = "Image–text pairs for training.", subcommands = PairsCommand.Import.class)
public final class PairsCommand {

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Publish pairs from a folder (image + same-named .txt caption) or a JSON Lines file to "
                    + Topics.PAIRS_RAW + ".")
    public static final class Import implements Callable<Integer> {

        @Parameters(paramLabel = "DIR|FILE.jsonl", description = "A folder of images with captions, or JSON Lines.")
        Path input;

        @Option(names = "--image-dir", description = "Folder the JSON Lines image paths are relative to (default: the file's folder).")
        Path imageDir;

        @Option(names = "--limit", description = "Publish at most this many pairs.")
        Integer limit;

        @Mixin
        KafkaOptions kafka;

        @Override
        public Integer call() throws Exception {
            List<PairSource.Entry> entries = PairSource.read(input, imageDir);
            if (limit != null && entries.size() > limit) {
                entries = entries.subList(0, limit);
            }
            Progress progress = new Progress("pairs import", entries.size(), System.err);
            try (PairPublisher publisher = new PairPublisher(kafka.producerProperties("clipstream-cli-pairs"), progress)) {
                entries.forEach(publisher::publish);
            }
            progress.finish();
            return progress.failedCount() == 0 ? 0 : 1;
        }
    }
}
