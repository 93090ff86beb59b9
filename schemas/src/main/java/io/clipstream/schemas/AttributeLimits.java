package io.clipstream.schemas;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Caps on a record's free-form attributes, checked wherever attributes enter a service (ingest, embedder,
 * classifier). Attributes travel with every output (a pair's normalised pair, an image's embedding, its
 * classifications): unbounded, one record could make an output that no topic accepts, and the service would try to
 * write it forever. Sizes are UTF-8 bytes.
 *
 * @param maxCount      most entries
 * @param maxKeyBytes   longest name
 * @param maxValueBytes longest value
 * @param maxTotalBytes all names and values together
 */
public record AttributeLimits(int maxCount, int maxKeyBytes, int maxValueBytes, int maxTotalBytes) {

    /** The platform's caps: far above what labels, cameras and sources need, far below a topic's record limit. */
    public static final AttributeLimits DEFAULT = new AttributeLimits(64, 256, 4096, 64 * 1024);

    /** What is over the caps, for a person; empty when the attributes are within them (or absent). */
    public Optional<String> violation(Map<String, String> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return Optional.empty();
        }
        if (attributes.size() > maxCount) {
            return Optional.of("too many attributes: " + attributes.size() + ", at most " + maxCount);
        }
        long total = 0;
        for (Map.Entry<String, String> entry : attributes.entrySet()) {
            int keyBytes = utf8Length(entry.getKey());
            int valueBytes = utf8Length(entry.getValue());
            if (keyBytes > maxKeyBytes) {
                return Optional.of("attribute name of " + keyBytes + " bytes (starting \"" + start(entry.getKey())
                        + "\"): at most " + maxKeyBytes);
            }
            if (valueBytes > maxValueBytes) {
                return Optional.of("attribute \"" + start(entry.getKey()) + "\" has a value of " + valueBytes
                        + " bytes: at most " + maxValueBytes);
            }
            total += keyBytes + valueBytes;
        }
        if (total > maxTotalBytes) {
            return Optional.of("attributes of " + total + " bytes in all: at most " + maxTotalBytes);
        }
        return Optional.empty();
    }

    private static int utf8Length(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String start(String text) {
        return text == null ? "" : text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
