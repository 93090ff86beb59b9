package io.clipstream.cli.pairs;

import io.clipstream.cli.UserErrors;
import io.clipstream.cli.kafka.KafkaOptions;
import io.clipstream.cli.kafka.Progress;
import io.clipstream.schemas.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
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
        public Integer call() {
            PairSource.Listing listing;
            try {
                listing = PairSource.scan(input, imageDir);
            } catch (IOException e) {
                System.err.println("pairs import: " + UserErrors.describeFileProblem(e));
                return 2;
            }
            List<PairSource.Entry> entries = listing.entries();
            if (entries.isEmpty() && listing.skipped().isEmpty()) {
                System.err.println("pairs import: " + input + " holds no pairs (images with same-named .txt captions,"
                        + " or JSON Lines)");
                return 2;
            }
            if (limit != null && entries.size() > limit) {
                entries = entries.subList(0, limit);
            }
            Progress progress = new Progress("pairs import", entries.size(), System.err);
            listing.skipped().forEach(progress::skipped);
            List<String> unnamed = entries.stream().filter(e -> e.problem() == null && !PairSource.isImage(e.image()))
                    .map(e -> e.image().getFileName().toString()).toList();
            if (!unnamed.isEmpty()) {
                progress.note(unnamed.size() + " sent with a name that is not an image's (" + String.join(", ", unnamed)
                        + "): ingest decodes what it can and rejects the rest to " + Topics.PAIRS_REJECTED
                        + " with the reason");
            }
            try (PairPublisher publisher = new PairPublisher(kafka.producerProperties("clipstream-cli-pairs"), progress)) {
                entries.forEach(publisher::publish);
            }
            progress.finish();
            return progress.failedCount() == 0 && progress.sentCount() > 0 ? 0 : 1;
        }
    }
}
