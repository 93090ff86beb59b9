package io.clipstream.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.clipstream.schemas.serde.SchemaHistory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class SchemaHistoryTest {

    @Test
    void everyCurrentSchemaIsReleased() {
        for (Schema current : SchemaHistory.CURRENT) {
            boolean released = SchemaHistory.released().versions(current.getFullName()).stream()
                    .anyMatch(s -> SchemaHistory.fingerprint(s) == SchemaHistory.fingerprint(current));
            if (!released) {
                fail(current.getName() + " changed but is not in schemas/src/main/resources/io/clipstream/schemas/"
                        + "history: run ./mvnw -q -pl schemas compile exec:java "
                        + "-Dexec.mainClass=io.clipstream.schemas.SchemaRelease (from schemas/) and commit the new file");
            }
        }
    }

    @Test
    void everyCurrentSchemaReadsEveryReleasedVersionAndBack() {
        int checked = 0;
        for (Schema current : SchemaHistory.CURRENT) {
            List<Schema> versions = SchemaHistory.released().versions(current.getFullName());
            assertFalse(versions.isEmpty(), current.getName());
            for (Schema old : versions) {
                assertCompatible(current, old, "current reads " + old.getName() + " written by a released version");
                assertCompatible(old, current, "a released reader of " + old.getName() + " reads current records");
                checked++;
            }
        }
        assertTrue(checked >= SchemaHistory.CURRENT.size());
    }

    @Test
    void theCompatibilityCheckRejectsABreakingChange() {
        // Guards the guard: a new required field without a default must be caught.
        Schema current = ImageEmbedding.getClassSchema();
        Schema breaking = new Schema.Parser().parse(current.toString()
                .replace("{\"name\":\"modelVersion\"", "{\"name\":\"dims\",\"type\":\"int\"},{\"name\":\"modelVersion\""));
        assertEquals(SchemaCompatibilityType.INCOMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(breaking, current).getType());
    }

    @Test
    void releasedFilesAreListedInTheIndex() throws IOException {
        // Every file in the history folder is in the index (a file missing there would never be read), and each
        // record has a released version. (This once compared the index's length with the number of records, which
        // no second version of any schema could pass.)
        Path history = Path.of("src/main/resources/io/clipstream/schemas/history");
        Set<String> onDisk;
        try (Stream<Path> files = Files.walk(history)) {
            onDisk = files.filter(f -> f.toString().endsWith(".avsc"))
                    .map(f -> history.relativize(f).toString().replace('\\', '/'))
                    .collect(Collectors.toSet());
        }
        assertEquals(onDisk, Set.copyOf(SchemaHistory.releasedFiles()));
        assertEquals(SchemaHistory.CURRENT.size(), SchemaHistory.releasedFiles().stream()
                .map(f -> f.substring(0, f.indexOf('/'))).distinct().count());
    }

    @Test
    void aReaderOfTheFirstReleaseReadsAReasonItDoesNotKnowAsUnknown() throws IOException {
        Schema v1 = SchemaHistory.released().versions(Rejected.getClassSchema().getFullName()).get(0);
        Rejected duplicate = Rejections.of("p2", RejectReason.DUPLICATE, "same as p1", Rejections.Source.unknown("t"),
                null, null, "ingest", null, Map.of("duplicateOf", "p1"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<Rejected>(Rejected.getClassSchema()).write(duplicate, encoder);
        encoder.flush();
        GenericRecord old = new GenericDatumReader<GenericRecord>(Rejected.getClassSchema(), v1)
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        assertEquals("UNKNOWN", old.get("reason").toString());
        assertEquals("p2", old.get("id").toString());
    }

    private static void assertCompatible(Schema reader, Schema writer, String what) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        assertEquals(SchemaCompatibilityType.COMPATIBLE, result.getType(), what + ": " + result.getDescription());
    }
}
