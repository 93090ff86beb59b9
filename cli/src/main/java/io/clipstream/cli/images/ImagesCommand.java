package io.clipstream.cli.images;

import io.clipstream.cli.UserErrors;
import io.clipstream.cli.kafka.ImagePublisher;
import io.clipstream.cli.kafka.KafkaOptions;
import io.clipstream.cli.kafka.Thumbnails;
import io.clipstream.cli.kafka.Progress;
import io.clipstream.schemas.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code clipstream images publish}: images to clipstream.images, for the embedder. */
@Command(name = "images", description = "Images to embed.", subcommands = ImagesCommand.Publish.class)
public final class ImagesCommand {

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Publish image files to " + Topics.IMAGES + " as raw bytes: key = the file name without "
                    + "extension (the image id), header content-type, and attr.<name> headers for --attribute.")
    public static final class Publish implements Callable<Integer> {

        @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Image files, or folders of them.")
        List<Path> inputs;

        @Option(names = {"-a", "--attribute"}, paramLabel = "NAME=VALUE",
                description = "An attribute every image carries (repeatable); the embedder passes it through.")
        Map<String, String> attributes = new LinkedHashMap<>();

        @Option(names = "--thumbnails", description = "Each image also carries a small thumbnail (attribute "
                + Thumbnails.ATTRIBUTE + ", a data: URL under 4 KiB), which the console's live view shows.")
        boolean thumbnails;

        @Mixin
        KafkaOptions kafka;

        @Override
        public Integer call() {
            ImageFiles.Listing listing;
            try {
                listing = ImageFiles.collect(inputs);
            } catch (IOException e) {
                System.err.println("images publish: " + UserErrors.describeFileProblem(e));
                return 2;
            }
            List<Path> files = listing.files();
            Progress progress = new Progress("images publish", files.size(), System.err);
            listing.skipped().forEach(progress::skipped);
            List<String> unnamed = files.stream().filter(f -> ImagePublisher.contentType(f).isEmpty())
                    .map(f -> f.getFileName().toString()).toList();
            if (!unnamed.isEmpty()) {
                progress.note(unnamed.size() + " sent with a name that is not an image's (" + String.join(", ", unnamed)
                        + "): the embedder decodes what it can and rejects the rest to " + Topics.IMAGES_REJECTED
                        + " with the reason");
            }
            try (ImagePublisher publisher = new ImagePublisher(kafka.producerProperties("clipstream-cli-images"),
                    progress)) {
                for (Path file : files) {
                    publisher.publish(ImageFiles.imageId(file), file, thumbnails ? withThumbnail(file) : attributes);
                }
            }
            progress.finish();
            return progress.failedCount() == 0 && progress.sentCount() > 0 ? 0 : 1;
        }

        private Map<String, String> withThumbnail(Path file) {
            Map<String, String> all = new LinkedHashMap<>(attributes);
            Thumbnails.dataUrl(file).ifPresent(url -> all.putIfAbsent(Thumbnails.ATTRIBUTE, url));
            return all;
        }
    }
}
