package io.clipstream.trainer.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TrainPairedComparisonTest {

    /** Baseline hits items [0, baselineHits); the candidate loses the first {@code lost} and gains {@code gained}. */
    private static PairedComparison compare(int items, int baselineHits, int lost, int gained, double alpha) {
        boolean[] baseline = new boolean[items];
        boolean[] candidate = new boolean[items];
        for (int i = 0; i < items; i++) {
            baseline[i] = i < baselineHits;
            candidate[i] = i < baselineHits ? i >= lost : i < baselineHits + gained;
        }
        return PairedComparison.of("m", baseline, candidate, alpha);
    }

    @Test
    void thePValueIsTheExactBinomialTailOfTheLosses() {
        PairedComparison fourLost = compare(40, 20, 4, 0, 0.05);
        assertEquals(4, fourLost.lost());
        assertEquals(0, fourLost.gained());
        assertEquals(1 / 16.0, fourLost.pValue(), 1e-15);
        assertEquals(-0.1, fourLost.change(), 1e-15);
        assertEquals(0.5, fourLost.baseline());
        assertEquals(0.4, fourLost.candidate(), 1e-15);
        assertFalse(fourLost.worse(), "4 of 4 discordant items lost: p = 1/16 > 0.05");
        // P(X >= 5 | 6, 1/2) = (6 + 1) / 64
        assertEquals(7 / 64.0, compare(40, 20, 5, 1, 0.05).pValue(), 1e-15);
        assertEquals(1.0, compare(40, 20, 0, 3, 0.05).pValue());
        assertEquals(1.0, compare(40, 20, 0, 0, 0.05).pValue());
        assertTrue(compare(40, 20, 5, 0, 0.05).worse(), "p = 1/32");
    }

    @Test
    void theIntervalIsClopperPearsonOnTheShareLostAndAgreesWithTheTest() {
        // 5 lost of 10 discordant in 10 items: the exact 95% interval of 5/10 is [0.1871, 0.8129].
        PairedComparison even = compare(10, 5, 5, 5, 0.025);
        assertEquals(0.95, even.confidence(), 1e-12);
        assertEquals(1 - 2 * 0.812914, even.changeLow(), 1e-5);
        assertEquals(1 - 2 * 0.187086, even.changeHigh(), 1e-5);
        for (int lost = 0; lost <= 12; lost++) {
            PairedComparison c = compare(60, 30, lost, 12 - lost, 0.01);
            assertTrue(c.changeLow() <= c.change() && c.change() <= c.changeHigh(), c.toString());
            assertEquals(c.worse(), c.changeHigh() < 0, "the test rejects exactly when the interval is below 0: " + c);
        }
        PairedComparison none = compare(50, 25, 0, 0, 0.01);
        assertEquals(0.0, none.changeLow());
        assertEquals(0.0, none.changeHigh());
    }
}
