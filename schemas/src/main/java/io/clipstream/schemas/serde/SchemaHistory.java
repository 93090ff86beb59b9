package io.clipstream.schemas.serde;

import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.Classification;
import io.clipstream.schemas.ImageEmbedding;
import io.clipstream.schemas.ImageEvent;
import io.clipstream.schemas.ImageTextPair;
import io.clipstream.schemas.LabelSet;
import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.Rejected;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/**
 * Every released writer schema, by fingerprint, so that a reader on a newer schema still reads records written
 * with an older one. Released schemas live under {@code io/clipstream/schemas/history/<Record>/vN.avsc}, listed in
 * {@code history/index.txt}; the current schema of each record is always included.
 */
public final class SchemaHistory implements SchemaStore {

    /** The records of the platform, in catalog order. */
    public static final List<Schema> CURRENT = List.of(
            ImageTextPair.getClassSchema(), NormalizedPair.getClassSchema(), Rejected.getClassSchema(),
            ImageEvent.getClassSchema(), ImageEmbedding.getClassSchema(), LabelSet.getClassSchema(),
            Classification.getClassSchema(), Checkpoint.getClassSchema());

    private static final String ROOT = "/io/clipstream/schemas/history/";
    private static final SchemaHistory RELEASED = load();

    private final Map<Long, Schema> byFingerprint = new ConcurrentHashMap<>();
    private final Map<String, List<Schema>> byRecord = new LinkedHashMap<>();

    private SchemaHistory() {
    }

    /** The released history shipped in this jar, plus the current schemas. */
    public static SchemaHistory released() {
        return RELEASED;
    }

    /** An empty store with only the current schemas: for tests that add their own writer schemas. */
    public static SchemaHistory currentOnly() {
        SchemaHistory history = new SchemaHistory();
        CURRENT.forEach(history::add);
        return history;
    }

    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** Adds a writer schema (idempotent). */
    public synchronized SchemaHistory add(Schema schema) {
        if (byFingerprint.putIfAbsent(fingerprint(schema), schema) == null) {
            byRecord.computeIfAbsent(schema.getFullName(), n -> new ArrayList<>()).add(schema);
        }
        return this;
    }

    @Override
    public Schema findByFingerprint(long fingerprint) {
        return byFingerprint.get(fingerprint);
    }

    /** The released versions of one record, oldest first (without the current one unless it was released). */
    public synchronized List<Schema> versions(String fullName) {
        return Collections.unmodifiableList(byRecord.getOrDefault(fullName, List.of()));
    }

    private static SchemaHistory load() {
        SchemaHistory history = new SchemaHistory();
        for (String file : releasedFiles()) {
            try (InputStream in = SchemaHistory.class.getResourceAsStream(ROOT + file)) {
                if (in == null) {
                    throw new IllegalStateException("history/index.txt names a missing schema: " + file);
                }
                history.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read released schema " + file, e);
            }
        }
        CURRENT.forEach(history::add);
        return history;
    }

    /** Paths relative to the history folder, as listed in its index. */
    public static List<String> releasedFiles() {
        try (InputStream in = SchemaHistory.class.getResourceAsStream(ROOT + "index.txt")) {
            if (in == null) {
                return List.of();
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
