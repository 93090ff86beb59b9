package io.clipstream.cli.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The image files named on the command line: files as given, folders by their files (sorted by name, not descending
 * into sub-folders). Each becomes a record keyed by its name without the extension.
 *
 * <p>A folder's files are sent whatever their extension, as {@code pairs import} sends them: the embedder sniffs the
 * bytes and rejects what it cannot decode to {@value io.clipstream.schemas.Topics#IMAGES_REJECTED} with the reason,
 * so the CLI keeps no list of formats of its own. Only hidden files and {@code .txt} captions are skipped, each listed
 * with why.
 */
final class ImageFiles {

    /** The files to publish, in order, and those of the folders left out, as "name: why". */
    record Listing(List<Path> files, List<String> skipped) {
    }

    private ImageFiles() {
    }

    /** Every file to publish; a folder without any is an error worth saying. */
    static Listing collect(List<Path> arguments) throws IOException {
        List<Path> files = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path argument : arguments) {
            if (Files.isDirectory(argument)) {
                List<Path> children;
                try (Stream<Path> listed = Files.list(argument)) {
                    children = listed.filter(Files::isRegularFile).sorted().toList();
                }
                int before = files.size();
                for (Path child : children) {
                    String name = child.getFileName().toString();
                    if (name.startsWith(".")) {
                        skipped.add(name + ": a hidden file");
                    } else if (name.toLowerCase(Locale.ROOT).endsWith(".txt")) {
                        skipped.add(name + ": a text file (captions go with pairs import)");
                    } else {
                        files.add(child);
                    }
                }
                if (files.size() == before && skipped.isEmpty()) {
                    throw new IOException(argument + " holds no image files");
                }
            } else if (Files.isRegularFile(argument)) {
                files.add(argument);
            } else {
                throw new IOException(argument + " is neither a file nor a folder");
            }
        }
        return new Listing(files, skipped);
    }

    /** The image id: the file name without its extension. */
    static String imageId(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

}
