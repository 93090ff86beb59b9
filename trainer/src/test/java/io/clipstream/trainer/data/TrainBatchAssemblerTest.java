package io.clipstream.trainer.data;

import io.clipstream.trainer.TestPairs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainBatchAssemblerTest {

    private static final BatchSettings SETTINGS = new BatchSettings(8, 0.25, 16, 1000, 5, false);

    @Test
    void everyQueuedPairIsTrainedFreshExactlyOnceAndHeldOutPairsNever() {
        HeldOutSplit split = new HeldOutSplit(0.2);
        BatchAssembler assembler = new BatchAssembler(SETTINGS, split, DataState.empty("pairs"), new SplittableRandom(7));
        Set<String> queued = new LinkedHashSet<>();
        List<String> evaluation = new ArrayList<>();
        List<Batch> batches = new ArrayList<>();
        Map<Integer, Long> lastOffset = new java.util.TreeMap<>();
        for (int i = 0; i < 300; i++) {
            int partition = i % 3;
            long offset = i / 3;
            lastOffset.put(partition, offset);
            // Unreadable records here and there, and as the very last record of partition 2.
            Optional<StreamPair> pair = i % 37 == 0 || i == 299 ? Optional.empty() : Optional.of(TestPairs.pair("p" + i));
            BatchAssembler.Outcome outcome = assembler.accept(partition, offset, pair);
            switch (outcome) {
                case QUEUED -> queued.add(pair.orElseThrow().pairId());
                case EVALUATION -> evaluation.add(pair.orElseThrow().pairId());
                case HELD_OUT_DROPPED -> assertTrue(split.isHeldOut(pair.orElseThrow().pairId()));
                case SKIPPED -> assertTrue(pair.isEmpty());
            }
            assembler.next(false).ifPresent(batches::add);
        }
        int fullBatches = batches.size();
        for (Optional<Batch> b = assembler.next(true); b.isPresent(); b = assembler.next(true)) {
            batches.add(b.get());
        }
        assertEquals(0, assembler.pending(), "idle flushes drain the buffer");

        Set<String> trainedFresh = new HashSet<>();
        Set<String> trainedSoFar = new HashSet<>();
        for (Batch batch : batches) {
            assertTrue(batch.size() <= 8);
            Set<String> inBatch = new HashSet<>();
            for (StreamPair p : batch.pairs()) {
                assertTrue(inBatch.add(p.pairId()), "a pair twice in one batch: " + p.pairId());
                assertFalse(split.isHeldOut(p.pairId()), "held-out pair trained on: " + p.pairId());
            }
            for (StreamPair p : batch.replayed()) {
                assertTrue(trainedSoFar.contains(p.pairId()), "replayed before it was trained: " + p.pairId());
            }
            for (StreamPair p : batch.fresh()) {
                assertTrue(trainedFresh.add(p.pairId()), "fresh twice: " + p.pairId());
            }
            batch.fresh().forEach(p -> trainedSoFar.add(p.pairId()));
            // The state after the batch accounts for everything read: trained so far or pending.
            Set<String> accounted = new HashSet<>(trainedSoFar);
            batch.after().pending().forEach(p -> assertTrue(accounted.add(p.pairId()), "pending and trained"));
            assertTrue(queued.containsAll(accounted));
        }
        assertEquals(queued, trainedFresh, "every queued pair trained fresh exactly once");
        for (Batch batch : batches.subList(1, fullBatches)) {
            assertEquals(8, batch.size());
            assertEquals(2, batch.replayed().size(), "25 % of 8 replayed once the reservoir has pairs");
        }
        assertEquals(evaluation.subList(0, 5), assembler.state().evaluationPool().stream().map(StreamPair::pairId).toList(),
                "the pool keeps the first held-out pairs");
        Map<Integer, Long> next = new java.util.TreeMap<>();
        lastOffset.forEach((p, o) -> next.put(p, o + 1));
        assertEquals(next, assembler.state().positions().next(), "positions move past skipped records too");
    }

    @Test
    void aHeldOutPairReadAgainIsNotASecondCandidate() {
        BatchAssembler assembler = new BatchAssembler(SETTINGS, new HeldOutSplit(1), DataState.empty("t"),
                new SplittableRandom(1));
        assertEquals(BatchAssembler.Outcome.EVALUATION, assembler.accept(0, 0, Optional.of(TestPairs.pair("a"))));
        assertEquals(BatchAssembler.Outcome.HELD_OUT_DROPPED, assembler.accept(1, 0, Optional.of(TestPairs.pair("a"))));
        assertEquals(BatchAssembler.Outcome.EVALUATION, assembler.accept(0, 1, Optional.of(TestPairs.pair("b"))));
        DataState state = assembler.state();
        BatchAssembler resumed = new BatchAssembler(SETTINGS, new HeldOutSplit(1), state, new SplittableRandom(2));
        assertEquals(BatchAssembler.Outcome.HELD_OUT_DROPPED, resumed.accept(0, 2, Optional.of(TestPairs.pair("b"))));
        assertEquals(2, resumed.evaluationPoolSize());
    }

    @Test
    void idleInputFlushesAPartialBatchToppedUpFromReplayButNeverASinglePair() {
        BatchAssembler assembler = new BatchAssembler(SETTINGS, new HeldOutSplit(0), DataState.empty("t"),
                new SplittableRandom(1));
        assembler.accept(0, 0, Optional.of(TestPairs.pair("only")));
        assertTrue(assembler.next(true).isEmpty(), "one pair and no replay: no contrastive batch");
        assembler.accept(0, 1, Optional.of(TestPairs.pair("second")));
        assembler.accept(0, 2, Optional.of(TestPairs.pair("third")));
        assertTrue(assembler.next(false).isEmpty(), "busy input waits for a full shuffle buffer");
        Batch first = assembler.next(true).orElseThrow();
        assertEquals(3, first.fresh().size());
        assertEquals(0, first.replayed().size());

        assembler.accept(0, 3, Optional.of(TestPairs.pair("fourth")));
        Batch second = assembler.next(true).orElseThrow();
        assertEquals(1, second.fresh().size());
        assertEquals(3, second.replayed().size(), "topped up with what the reservoir has");
    }

    @Test
    void rehearsalKeepsAnIdleInputTrainingOnPastPairsOnlyWhenAskedTo() {
        BatchSettings rehearsing = new BatchSettings(8, 0.25, 16, 1000, 5, true);
        BatchAssembler assembler = new BatchAssembler(rehearsing, new HeldOutSplit(0), DataState.empty("t"),
                new SplittableRandom(5));
        assertTrue(assembler.next(true).isEmpty(), "nothing trained yet: nothing to rehearse");
        for (int i = 0; i < 12; i++) {
            assembler.accept(0, i, Optional.of(TestPairs.pair("s" + i)));
        }
        assertEquals(8, assembler.next(true).orElseThrow().fresh().size(), "pending pairs come first");
        assertEquals(4, assembler.next(true).orElseThrow().fresh().size(), "all of them");
        assertTrue(assembler.next(true).isEmpty(), "12 pairs are fewer than a shuffle buffer (16): not rehearsed yet");
        for (int i = 12; i < 20; i++) {
            assembler.accept(0, i, Optional.of(TestPairs.pair("s" + i)));
        }
        while (assembler.pending() > 0) {
            assertFalse(assembler.next(true).orElseThrow().fresh().isEmpty(), "pending pairs before rehearsal");
        }
        assertTrue(assembler.next(false).isEmpty(), "a busy input is waited for, not rehearsed over");

        Set<String> rehearsed = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            Batch batch = assembler.next(true).orElseThrow();
            assertTrue(batch.fresh().isEmpty());
            assertEquals(8, batch.replayed().size());
            assertEquals(8, batch.replayed().stream().map(StreamPair::pairId).distinct().count());
            batch.replayed().forEach(p -> rehearsed.add(p.pairId()));
            assertEquals(20, batch.after().positions().next().get(0), "rehearsal reads nothing");
        }
        assertEquals(20, rehearsed.size(), "passes cover every past pair");

        BatchAssembler plain = new BatchAssembler(SETTINGS, new HeldOutSplit(0), assembler.state(),
                new SplittableRandom(5));
        assertTrue(plain.next(true).isEmpty(), "off by default");
    }

    @Test
    void resumesFromItsStateWithTheSamePendingPairsAndPositions() {
        BatchAssembler first = new BatchAssembler(SETTINGS, new HeldOutSplit(0.3), DataState.empty("t"),
                new SplittableRandom(3));
        Batch last = null;
        for (int i = 0; i < 40; i++) {
            first.accept(0, i, Optional.of(TestPairs.pair("r" + i)));
            Optional<Batch> b = first.next(false);
            if (b.isPresent()) {
                last = b.get();
            }
        }
        DataState saved = last.after();
        BatchAssembler resumed = new BatchAssembler(SETTINGS, new HeldOutSplit(0.3), saved, new SplittableRandom(4));
        assertEquals(saved.pending().size(), resumed.pending());
        assertEquals(saved.replay().size(), resumed.replaySize());
        assertEquals(saved.evaluationPool().size(), resumed.evaluationPoolSize());
        assertEquals(saved.positions(), resumed.state().positions());
    }
}
