package io.clipstream.model.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which checkpoint is asked for: the rollout file first, else the configuration. */
class CheckpointSourceTest {

    @TempDir
    Path root;

    @Test
    void theFileMayQuoteTheValueOrUseThePropertyName() throws Exception {
        Path rollout = root.resolve("rollout.env");
        Files.writeString(rollout, "export_note=ignored\nCLIPSTREAM_MODEL_CHECKPOINT=\"2\"\n");
        assertEquals(Optional.of("2"), CheckpointSource.readFile(rollout));
        Files.writeString(rollout, "# comment\nclipstream.model.checkpoint = 1\n");
        assertEquals(Optional.of("1"), CheckpointSource.readFile(rollout));
        Files.delete(rollout);
        assertEquals(Optional.empty(), CheckpointSource.readFile(rollout));
    }

    @Test
    void theFileWinsAndAMissingOrEmptyFileDefersToTheConfiguration() throws Exception {
        Path rollout = root.resolve("rollout.env");
        CheckpointSource source = new CheckpointSource(Optional.of(" 1 "), Optional.of(rollout));
        assertEquals(Optional.of(new CheckpointSource.Requested("1", "clipstream.model.checkpoint")),
                source.requested(), "no file yet");
        Files.writeString(rollout, "CLIPSTREAM_MODEL_CHECKPOINT=2\n");
        assertEquals(Optional.of(new CheckpointSource.Requested("2", "file " + rollout)), source.requested());
        Files.writeString(rollout, "CLIPSTREAM_MODEL_CHECKPOINT=\n");
        assertEquals("1", source.requested().orElseThrow().reference());
        assertEquals(Optional.empty(), new CheckpointSource(Optional.of(" "), Optional.of(rollout)).requested());
        assertTrue(source.howToConfigure().contains(rollout.toString()), source.howToConfigure());
    }
}
