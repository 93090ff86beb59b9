package io.clipstream.embedder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.embedder.stream.MicroBatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The timeouts only stop a test that would otherwise hang on a bug; nothing here asserts on time. */
@Timeout(30)
class EmbedderMicroBatcherTest {

    private static final Duration FOREVER = Duration.ofHours(1);

    @Test
    void aFullBatchLeavesAtOnceOldestFirstAndTheRestWaits() throws Exception {
        MicroBatcher<Integer> batcher = new MicroBatcher<>(4, FOREVER, 8);
        for (int i = 0; i < 5; i++) {
            batcher.put(i);
        }
        assertEquals(List.of(0, 1, 2, 3), batcher.nextBatch(), "with an hour's wait, only a full batch can leave");
        assertEquals(1, batcher.size());
    }

    @Test
    void aPartialBatchLeavesWhenItsFirstItemHasWaitedMaxWait() throws Exception {
        MicroBatcher<String> batcher = new MicroBatcher<>(32, Duration.ofMillis(20), 64);
        batcher.put("a");
        batcher.put("b");
        assertEquals(List.of("a", "b"), batcher.nextBatch());
        assertEquals(0, batcher.size());
    }

    @Test
    void withNoWaitWhateverIsQueuedLeavesAtOnce() throws Exception {
        MicroBatcher<Integer> batcher = new MicroBatcher<>(8, Duration.ZERO, 8);
        batcher.put(1);
        batcher.put(2);
        batcher.put(3);
        assertEquals(List.of(1, 2, 3), batcher.nextBatch());
    }

    @Test
    void everyItemComesOutOnceInOrderInBatchesNoLargerThanMax() throws Exception {
        MicroBatcher<Integer> batcher = new MicroBatcher<>(7, Duration.ofMillis(2), 16);
        CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 0; i < 1000; i++) {
                    batcher.put(i);
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        List<Integer> seen = new ArrayList<>();
        while (seen.size() < 1000) {
            List<Integer> batch = batcher.nextBatch();
            assertTrue(!batch.isEmpty() && batch.size() <= 7, "batch of " + batch.size());
            seen.addAll(batch);
        }
        producer.get();
        assertEquals(IntStream.range(0, 1000).boxed().toList(), seen);
    }

    @Test
    void putWaitsWhileTheQueueIsFullUntilABatchIsTaken() throws Exception {
        MicroBatcher<Integer> batcher = new MicroBatcher<>(2, FOREVER, 2);
        batcher.put(1);
        batcher.put(2);
        Thread blocked = new Thread(() -> {
            try {
                batcher.put(3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        blocked.start();
        while (blocked.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        assertEquals(2, batcher.size(), "the third item is held back while the queue is full");
        assertEquals(List.of(1, 2), batcher.nextBatch());
        blocked.join();
        assertEquals(1, batcher.size());
    }

    @Test
    void closeHandsOutWhatIsQueuedWithoutWaitingThenEmptyAndRefusesMore() throws Exception {
        MicroBatcher<Integer> batcher = new MicroBatcher<>(4, FOREVER, 8);
        batcher.put(1);
        batcher.put(2);
        batcher.close();
        assertEquals(List.of(1, 2), batcher.nextBatch(), "no waiting for a full batch once closed");
        assertEquals(List.of(), batcher.nextBatch());
        assertThrows(IllegalStateException.class, () -> batcher.put(3));
    }

    @Test
    void closeReleasesATakerWaitingOnAnEmptyQueue() throws Exception {
        MicroBatcher<Integer> batcher = new MicroBatcher<>(4, FOREVER, 8);
        CompletableFuture<List<Integer>> taker = CompletableFuture.supplyAsync(() -> {
            try {
                return batcher.nextBatch();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        batcher.close();
        assertEquals(List.of(), taker.get());
    }

    @Test
    void refusesACapacityBelowTheBatchSize() {
        assertThrows(IllegalArgumentException.class, () -> new MicroBatcher<>(32, FOREVER, 16));
        assertThrows(IllegalArgumentException.class, () -> new MicroBatcher<>(0, FOREVER, 16));
        assertThrows(IllegalArgumentException.class, () -> new MicroBatcher<>(4, Duration.ofMillis(-1), 16));
    }

    @Test
    void aPutWaitsWhileItsBytesWouldPassTheBoundAndAnItemHeavierThanTheBoundGoesAlone() throws Exception {
        MicroBatcher<Integer> batcher = new MicroBatcher<>(4, Duration.ZERO, 8, 100, Integer::longValue);
        batcher.put(60);
        Thread second = new Thread(() -> {
            try {
                batcher.put(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        second.start();
        while (second.getState() != Thread.State.WAITING) {
            Thread.onSpinWait(); // until it waits for room
        }
        assertEquals(1, batcher.size(), "60 + 50 bytes would pass the bound of 100");
        assertEquals(60, batcher.queuedBytes());
        assertEquals(List.of(60), batcher.nextBatch());
        second.join(); // taking the batch made room
        assertEquals(List.of(50), batcher.nextBatch());
        assertEquals(60, batcher.peakBytes());

        MicroBatcher<Integer> heavy = new MicroBatcher<>(4, Duration.ZERO, 8, 100, Integer::longValue);
        heavy.put(500);
        assertEquals(List.of(500), heavy.nextBatch(), "an empty queue takes any one item");
        heavy.put(40);
        heavy.put(60);
        assertEquals(List.of(40, 60), heavy.nextBatch());
        assertEquals(0, heavy.queuedBytes());
        assertEquals(500, heavy.peakBytes());
    }
}
