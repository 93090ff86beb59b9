package io.clipstream.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.cli.demo.DemoSummary.ClassifiedImage;
import io.clipstream.schemas.CheckpointStatus;
import io.clipstream.schemas.RejectReason;
import io.clipstream.schemas.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the demo makes of the records the services write: pairs ingested, checkpoints announced, images classified. */
class DemoOutcomesTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void everyImageEndsClassifiedOrRejectedOnce() {
        ImageOutcomes outcomes = new ImageOutcomes("demo", Map.of("1f600", "grinning face", "1f41b", "bug",
                "1f98b", "butterfly"));

        Optional<ClassifiedImage> first = outcomes.accept(Topics.CLASSIFICATIONS, "1f600", DemoRecords.classification(
                "1f600", "demo", "3", T0, T0.plusMillis(41), "grinning face", "bug"));
        assertEquals(Optional.of(new ClassifiedImage("1f600", "grinning face", List.of("grinning face", "bug"), "3", 41)),
                first);
        assertEquals(Optional.empty(), outcomes.accept(Topics.CLASSIFICATIONS, "1f600", DemoRecords.classification(
                "1f600", "demo", "3", T0, T0.plusMillis(99), "bug")), "a redelivery does not count twice");
        assertEquals(Optional.empty(), outcomes.accept(Topics.CLASSIFICATIONS, "1f41b", DemoRecords.classification(
                "1f41b", "someone-elses", "3", T0, T0, "bug")), "another label set");
        assertEquals(Optional.empty(), outcomes.accept(Topics.CLASSIFICATIONS, "cat", DemoRecords.classification(
                "cat", "demo", "3", T0, T0, "bug")), "not one of the demo's images");
        assertFalse(outcomes.accountsFor(3));

        outcomes.accept(Topics.IMAGES_REJECTED, "1f41b",
                DemoRecords.rejected("1f41b", RejectReason.CORRUPT_IMAGE, "embedder", Topics.IMAGES));
        outcomes.accept(Topics.EMBEDDINGS_REJECTED, null,
                DemoRecords.rejected("1f98b", RejectReason.MODEL_VERSION_UNAVAILABLE, "classifier", Topics.EMBEDDINGS));
        assertTrue(outcomes.accountsFor(3));
        assertEquals(1, outcomes.classified().size());
        assertEquals(Set.of("1f41b", "1f98b"), outcomes.rejected().keySet());
        assertTrue(outcomes.rejected().get("1f98b").startsWith("MODEL_VERSION_UNAVAILABLE (classifier)"),
                outcomes.rejected().toString());
    }

    @Test
    void ingestCountsTheDemosPairsOnceEach() {
        IngestTally tally = new IngestTally(Set.of("a", "b", "c"));
        tally.accept(Topics.PAIRS_NORMALIZED, "a", new byte[] {1});
        tally.accept(Topics.PAIRS_NORMALIZED, "a", new byte[] {1});
        tally.accept(Topics.PAIRS_NORMALIZED, "zzz", new byte[] {1});
        tally.accept(Topics.PAIRS_REJECTED, "b", DemoRecords.rejected("b", RejectReason.CORRUPT_IMAGE, "ingest",
                Topics.PAIRS_RAW));
        tally.accept(Topics.PAIRS_REJECTED, null, DemoRecords.rejected("c", RejectReason.EMPTY_CAPTION, "ingest",
                Topics.PAIRS_RAW));
        tally.accept(Topics.PAIRS_REJECTED, "other", DemoRecords.rejected("other", RejectReason.EMPTY_CAPTION,
                "ingest", Topics.PAIRS_RAW));
        assertEquals(1, tally.ingested());
        assertEquals(2, tally.rejected());
        assertEquals(Map.of("CORRUPT_IMAGE", 1, "EMPTY_CAPTION", 1), tally.reasons());
    }

    @Test
    void theCheckpointRolledOutIsTheFirstAtTheBudget() {
        CheckpointWait wait = new CheckpointWait(600);
        assertEquals(Optional.empty(), wait.offer(DemoRecords.checkpoint("1", 300, CheckpointStatus.PASSED, 3.1)));
        assertEquals("2", wait.offer(DemoRecords.checkpoint("2", 600, CheckpointStatus.UNEVALUATED, 2.5))
                .orElseThrow().checkpoint().getVersion());
        assertEquals("3", wait.offer(DemoRecords.checkpoint("3", 612, CheckpointStatus.PASSED, 2.4))
                .orElseThrow().checkpoint().getVersion());
        assertEquals(2.5, CheckpointWait.loss(DemoRecords.checkpoint("2", 600, CheckpointStatus.PASSED, 2.5)));
        assertNull(CheckpointWait.loss(DemoRecords.checkpoint("2", 600, CheckpointStatus.PASSED, null)));
        assertNull(CheckpointWait.loss(DemoRecords.checkpoint("2", 600, CheckpointStatus.PASSED, Double.NaN)));
    }

    @Test
    void aRejectedCheckpointAtTheBudgetGivesWayToTheNewestThatPassed() {
        CheckpointWait wait = new CheckpointWait(600);
        wait.offer(DemoRecords.checkpoint("1", 150, CheckpointStatus.PASSED, 3.1));
        wait.offer(DemoRecords.checkpoint("2", 300, CheckpointStatus.PASSED, 2.9));
        wait.offer(DemoRecords.checkpoint("3", 450, CheckpointStatus.REJECTED, 2.7));
        CheckpointWait.Choice choice = wait.offer(DemoRecords.checkpoint("4", 600, CheckpointStatus.REJECTED, 2.5))
                .orElseThrow();
        assertEquals("2", choice.checkpoint().getVersion());
        assertTrue(choice.fallback().contains("rejected checkpoint 4")
                && choice.fallback().contains("rolling out 2 (step 300)"), choice.fallback());
    }

    @Test
    void aRejectedCheckpointIsNotRolledOut() {
        DemoFailure failure = assertThrows(DemoFailure.class, () -> new CheckpointWait(600)
                .offer(DemoRecords.checkpoint("2", 600, CheckpointStatus.REJECTED, 2.5)));
        assertTrue(failure.getMessage().contains("rejected checkpoint 2")
                && failure.getMessage().contains("retrieval worse than parent"), failure.getMessage());
    }
}
