package io.clipstream.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CanarySplitTest {

    @ParameterizedTest(name = "{0} % of 6 partitions -> {1} canary, {2} stable ({3} %)")
    @CsvSource({
            "1, 1, 5, 17",
            "10, 1, 5, 17",
            "20, 1, 5, 17",
            "25, 2, 4, 33",
            "34, 2, 4, 33",
            "50, 3, 3, 50",
            "75, 5, 1, 83",
            "99, 5, 1, 83"})
    void aPercentageBecomesWholePartitionsWithOneOnEachSide(int asked, int canary, int stable, int realised) {
        CanarySplit split = CanarySplit.forPercent(asked, 6);
        assertEquals(new CanarySplit(canary, stable), split);
        assertEquals(6, split.partitions());
        assertEquals(realised, split.percent());
    }

    @ParameterizedTest
    @ValueSource(ints = {-5, 0, 100, 101})
    void aCanaryIsNeitherNothingNorEverything(int percent) {
        assertThrows(IllegalArgumentException.class, () -> CanarySplit.forPercent(percent, 6));
    }

    @ParameterizedTest
    @CsvSource({"0, 6", "6, 0", "1, 0"})
    void bothTracksKeepAMember(int canary, int stable) {
        assertThrows(IllegalArgumentException.class, () -> new CanarySplit(canary, stable));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void oneEmptyPartitionCannotBeShared(int partitions) {
        assertThrows(IllegalArgumentException.class, () -> CanarySplit.forPercent(50, partitions));
    }
}
