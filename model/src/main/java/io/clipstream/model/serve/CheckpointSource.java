package io.clipstream.model.serve;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the checkpoint to serve is named: a watched file, else the configuration. The file is an env or properties
 * file as the rollout ConfigMap holds it ({@code CLIPSTREAM_MODEL_CHECKPOINT=7}, comments allowed; the property
 * name {@code clipstream.model.checkpoint} works too). A missing file, or one that names nothing, defers to the
 * configuration: a volume may be mounted after start-up. Beside the version, the rollout may pin the SHA-256 of the
 * version's {@code manifest.json} ({@code CLIPSTREAM_MODEL_CHECKPOINT_SHA256}); the manifest holds the SHA-256 of
 * every other file, so the pin names the exact checkpoint that was checked when it was rolled out.
 *
 * @param configured       {@code clipstream.model.checkpoint}
 * @param file             {@code clipstream.model.checkpoint-file}
 * @param configuredSha256 {@code clipstream.model.checkpoint-sha256}, the pin of {@code configured}
 */
public record CheckpointSource(Optional<String> configured, Optional<Path> file, Optional<String> configuredSha256) {

    static final List<String> FILE_KEYS = List.of("CLIPSTREAM_MODEL_CHECKPOINT", "clipstream.model.checkpoint");
    static final List<String> PIN_KEYS = List.of("CLIPSTREAM_MODEL_CHECKPOINT_SHA256",
            "clipstream.model.checkpoint-sha256");

    public CheckpointSource(Optional<String> configured, Optional<Path> file) {
        this(configured, file, Optional.empty());
    }

    /**
     * A checkpoint reference, where it was named, and the SHA-256 its manifest must have (when the rollout pins
     * one).
     */
    public record Requested(String reference, String origin, Optional<String> manifestSha256) {

        public Requested(String reference, String origin) {
            this(reference, origin, Optional.empty());
        }
    }

    /** The checkpoint to serve now, if one is named anywhere. */
    public Optional<Requested> requested() throws IOException {
        if (file.isPresent()) {
            Optional<Properties> properties = load(file.get());
            Optional<String> named = properties.flatMap(p -> value(p, FILE_KEYS));
            if (named.isPresent()) {
                return Optional.of(new Requested(named.get(), "file " + file.get(),
                        properties.flatMap(p -> value(p, PIN_KEYS))));
            }
        }
        return configured.map(String::strip).filter(s -> !s.isEmpty())
                .map(reference -> new Requested(reference, "clipstream.model.checkpoint",
                        configuredSha256.map(String::strip).filter(s -> !s.isEmpty())));
    }

    /** Where to name one, for people reading why nothing is served. */
    public String howToConfigure() {
        return "set clipstream.model.checkpoint (env CLIPSTREAM_MODEL_CHECKPOINT)"
                + file.map(f -> " or write CLIPSTREAM_MODEL_CHECKPOINT=<version> to " + f).orElse("");
    }

    static Optional<String> readFile(Path path) throws IOException {
        return load(path).flatMap(p -> value(p, FILE_KEYS));
    }

    private static Optional<Properties> load(Path path) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(properties);
    }

    private static Optional<String> value(Properties properties, List<String> keys) {
        for (String key : keys) {
            String value = properties.getProperty(key);
            if (value != null && !unquoted(value).isEmpty()) {
                return Optional.of(unquoted(value));
            }
        }
        return Optional.empty();
    }

    /** Env files may quote values: {@code KEY="7"}. */
    private static String unquoted(String value) {
        String v = value.strip();
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            v = v.substring(1, v.length() - 1).strip();
        }
        return v;
    }
}
