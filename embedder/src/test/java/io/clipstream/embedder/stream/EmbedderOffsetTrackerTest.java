package io.clipstream.embedder.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class EmbedderOffsetTrackerTest {

    private static final TopicPartition P0 = new TopicPartition("clipstream.images", 0);
    private static final TopicPartition P1 = new TopicPartition("clipstream.images", 1);

    @Test
    void commitsUpToTheLowestOffsetWhoseOutputIsNotAcknowledged() {
        OffsetTracker tracker = new OffsetTracker();
        for (long offset = 10; offset < 14; offset++) {
            tracker.submitted(P0, offset);
        }
        assertEquals(Map.of(P0, new OffsetAndMetadata(10)), tracker.committable(), "nothing acknowledged yet");
        tracker.completed(P0, 11);
        tracker.completed(P0, 13);
        assertEquals(Map.of(), tracker.committable(), "10 is still pending: the position stays at 10");
        tracker.completed(P0, 10);
        assertEquals(Map.of(P0, new OffsetAndMetadata(12)), tracker.committable());
        tracker.completed(P0, 12);
        assertEquals(Map.of(P0, new OffsetAndMetadata(14)), tracker.committable(), "all done: the next to read");
        assertEquals(Map.of(), tracker.committable(), "only positions that moved");
        assertEquals(0, tracker.inFlight());
    }

    @Test
    void partitionsAreIndependent() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.submitted(P0, 0);
        tracker.submitted(P1, 5);
        tracker.submitted(P1, 6);
        tracker.committable();
        tracker.completed(P1, 5);
        tracker.completed(P1, 6);
        assertEquals(Map.of(P1, new OffsetAndMetadata(7)), tracker.committable());
        assertEquals(Map.of(), tracker.committable(List.of(P0)));
    }

    @Test
    void aFailedOutputHoldsTheCommitPositionForGoodAndIsReported() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.submitted(P0, 0);
        tracker.submitted(P0, 1);
        tracker.submitted(P0, 2);
        tracker.completed(P0, 0);
        tracker.failed(P0, 1, new IllegalStateException("broker said no"));
        tracker.completed(P0, 2);
        assertEquals(Map.of(P0, new OffsetAndMetadata(1)), tracker.committable());
        assertTrue(tracker.failure().orElseThrow().getMessage().contains("broker said no"));
        assertEquals(0, tracker.inFlight(), "failed counts as finished for draining");
        tracker.reset();
        assertTrue(tracker.failure().isEmpty());
        assertEquals(Map.of(), tracker.committable());
    }

    @Test
    void forgottenPartitionsAreNotCommittedAndLateAcknowledgementsAreHarmless() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.submitted(P0, 3);
        tracker.submitted(P1, 3);
        tracker.forget(List.of(P0));
        tracker.completed(P0, 3);
        tracker.completed(P1, 3);
        assertEquals(Map.of(P1, new OffsetAndMetadata(4)), tracker.committable());
        assertEquals(0, tracker.inFlight());
    }

    @Test
    void awaitIdleReturnsOnceEverythingIsDoneAndFalseWhenItTimesOut() throws Exception {
        OffsetTracker tracker = new OffsetTracker();
        tracker.submitted(P0, 0);
        assertFalse(tracker.awaitIdle(Duration.ofMillis(20)));
        CompletableFuture<Boolean> idle = CompletableFuture.supplyAsync(() -> {
            try {
                return tracker.awaitIdle(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        tracker.completed(P0, 0);
        assertTrue(idle.get());
    }

    @Test
    void refusesOffsetsOutOfOrder() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.submitted(P0, 5);
        assertThrows(IllegalArgumentException.class, () -> tracker.submitted(P0, 5));
    }
}
