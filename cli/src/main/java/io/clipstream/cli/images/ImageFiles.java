package io.clipstream.cli.images;

import io.clipstream.cli.kafka.ImagePublisher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The image files named on the command line: files as given, folders by their image files (sorted by name, not
 * descending into sub-folders). Each becomes a record keyed by its name without the extension.
 */
final class ImageFiles {

    private ImageFiles() {
    }

    /** Every file to publish, in order; a folder without images is an error worth saying. */
    static List<Path> collect(List<Path> arguments) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path argument : arguments) {
            if (Files.isDirectory(argument)) {
                try (Stream<Path> children = Files.list(argument)) {
                    List<Path> images = children
                            .filter(p -> Files.isRegularFile(p) && ImagePublisher.contentType(p).isPresent())
                            .sorted().toList();
                    if (images.isEmpty()) {
                        throw new IOException(argument + " holds no image files ("
                                + String.join(", ", ImagePublisher.imageExtensions()) + ")");
                    }
                    files.addAll(images);
                }
            } else if (Files.isRegularFile(argument)) {
                files.add(argument);
            } else {
                throw new IOException(argument + " is neither a file nor a folder");
            }
        }
        return files;
    }

    /** The image id: the file name without its extension. */
    static String imageId(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

}
