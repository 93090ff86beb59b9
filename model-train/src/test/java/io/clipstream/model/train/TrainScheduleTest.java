package io.clipstream.model.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TrainScheduleTest {

    @Test
    void cosineWarmsUpLinearlyThenFallsToZeroAtTheLastStep() {
        LearningRateSchedule schedule = LearningRateSchedule.warmupCosine(1e-3, 10, 110);
        assertEquals(1e-4, schedule.at(0), 1e-15); // (0 + 1) / 10 of the peak: the first step learns
        assertEquals(5e-4, schedule.at(4), 1e-15);
        assertEquals(1e-3, schedule.at(9), 1e-15);
        assertEquals(1e-3, schedule.at(10), 1e-15); // cos(0)
        assertEquals(0.5e-3 * (1 + Math.cos(Math.PI / 4)), schedule.at(35), 1e-15);
        assertEquals(0.5e-3, schedule.at(60), 1e-15); // half way: cos(π/2)
        assertEquals(0, schedule.at(110), 1e-15);
        assertEquals(0, schedule.at(1_000), 1e-15);
    }

    @Test
    void constantHoldsThePeakForEverAfterTheWarmUp() {
        LearningRateSchedule schedule = LearningRateSchedule.warmupConstant(5e-4, 100);
        assertEquals(5e-6, schedule.at(0), 1e-18);
        assertEquals(2.5e-4, schedule.at(49), 1e-15);
        assertEquals(5e-4, schedule.at(99), 1e-15);
        assertEquals(5e-4, schedule.at(100), 1e-15);
        assertEquals(5e-4, schedule.at(10_000_000_000L), 1e-15);
        assertEquals(5e-4, LearningRateSchedule.warmupConstant(5e-4, 0).at(0), 1e-15);
    }

    @Test
    void rejectsSchedulesThatCannotBe() {
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.warmupCosine(1e-3, 100, 100));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.warmupConstant(0, 10));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.warmupConstant(1e-3, -1));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.warmupConstant(1e-3, 1).at(-1));
    }
}
