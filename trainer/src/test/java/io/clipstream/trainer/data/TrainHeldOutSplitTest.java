package io.clipstream.trainer.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TrainHeldOutSplitTest {

    @Test
    void holdsOutAboutTheFractionAndAlwaysTheSameIds() {
        HeldOutSplit split = new HeldOutSplit(0.1);
        long held = IntStream.range(0, 20_000).filter(i -> split.isHeldOut("pair-" + i)).count();
        assertEquals(2000, held, 150, "10 % of 20,000 ids, within 3.5 sigma");
        HeldOutSplit again = new HeldOutSplit(0.1);
        IntStream.range(0, 2000).forEach(i -> assertEquals(split.isHeldOut("pair-" + i), again.isHeldOut("pair-" + i)));
    }

    @Test
    void aLargerFractionHoldsOutASuperset() {
        HeldOutSplit small = new HeldOutSplit(0.01);
        HeldOutSplit large = new HeldOutSplit(0.2);
        IntStream.range(0, 5000).mapToObj(i -> "id" + i).filter(small::isHeldOut)
                .forEach(id -> assertTrue(large.isHeldOut(id), id));
    }

    @Test
    void zeroAndOneAreNoneAndAll() {
        assertFalse(IntStream.range(0, 1000).anyMatch(i -> new HeldOutSplit(0).isHeldOut("x" + i)));
        assertTrue(IntStream.range(0, 1000).allMatch(i -> new HeldOutSplit(1).isHeldOut("x" + i)));
        assertThrows(IllegalArgumentException.class, () -> new HeldOutSplit(1.5));
        assertThrows(IllegalArgumentException.class, () -> new HeldOutSplit(Double.NaN));
    }
}
