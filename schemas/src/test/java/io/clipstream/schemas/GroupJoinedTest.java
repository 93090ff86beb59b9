package io.clipstream.schemas;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class GroupJoinedTest {

    @Test
    void notReadyUntilTheFirstAssignmentThenReadyThroughRebalances() {
        GroupJoined group = new GroupJoined();
        assertFalse(group.observe(false), "before the first assignment");
        assertTrue(group.observe(true), "assigned");
        assertTrue(group.observe(false), "a later rebalance does not make it unready");
    }
}
