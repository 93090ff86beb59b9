package io.clipstream.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.clipstream.schemas.serde.SchemaHistory;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
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
    void releasedFilesAreListedInTheIndex() {
        assertEquals(SchemaHistory.CURRENT.size(), SchemaHistory.releasedFiles().size());
    }

    private static void assertCompatible(Schema reader, Schema writer, String what) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        assertEquals(SchemaCompatibilityType.COMPATIBLE, result.getType(), what + ": " + result.getDescription());
    }
}
