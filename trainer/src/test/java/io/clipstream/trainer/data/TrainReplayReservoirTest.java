package io.clipstream.trainer.data;

import io.clipstream.trainer.TestPairs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainReplayReservoirTest {

    @Test
    void keepsAUniformSampleOfEverythingOffered() {
        // 200 reservoirs of 100 over a stream of 2,000: each tenth of the stream should hold ~10 % of the slots.
        int[] perTenth = new int[10];
        for (int run = 0; run < 200; run++) {
            ReplayReservoir reservoir = new ReplayReservoir(100, new SplittableRandom(run), List.of(), 0);
            for (int i = 0; i < 2000; i++) {
                reservoir.offer(TestPairs.pair(Integer.toString(i), 1));
            }
            assertEquals(100, reservoir.size());
            assertEquals(2000, reservoir.offered());
            for (StreamPair kept : reservoir.snapshot()) {
                perTenth[Integer.parseInt(kept.pairId()) / 200]++;
            }
        }
        for (int tenth = 0; tenth < 10; tenth++) {
            // 20,000 slots in all, 2,000 expected per tenth; sigma ~42.
            assertEquals(2000, perTenth[tenth], 200, "tenth " + tenth + " of the stream: " + perTenth[tenth]);
        }
    }

    @Test
    void samplesDistinctPairsAndNeverMoreThanItHolds() {
        ReplayReservoir reservoir = new ReplayReservoir(50, new SplittableRandom(1), List.of(), 0);
        TestPairs.pairs("p", 30).forEach(reservoir::offer);
        List<StreamPair> sample = reservoir.sample(20);
        assertEquals(20, new HashSet<>(sample).size());
        assertEquals(30, reservoir.sample(100).size());
        assertEquals(30, reservoir.size(), "sampling keeps the pairs");
    }

    @Test
    void resumesWithItsContentAndCount() {
        ReplayReservoir first = new ReplayReservoir(10, new SplittableRandom(2), List.of(), 0);
        TestPairs.pairs("a", 25).forEach(first::offer);
        ReplayReservoir resumed = new ReplayReservoir(10, new SplittableRandom(3), first.snapshot(), first.offered());
        assertEquals(first.snapshot(), resumed.snapshot());
        assertEquals(25, resumed.offered());
        assertThrows(IllegalArgumentException.class,
                () -> new ReplayReservoir(5, new SplittableRandom(1), first.snapshot(), 25));
    }
}
