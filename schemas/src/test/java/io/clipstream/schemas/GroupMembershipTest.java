package io.clipstream.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class GroupMembershipTest {

    @Test
    void anInstanceIdMakesTheMembershipStaticPerConsumer() {
        Map<String, Object> config = GroupMembership.of(Optional.of("embedder-1")).consumerConfig("images");
        assertEquals("embedder-1-images", config.get(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG));
        assertEquals(10_000, config.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
        assertEquals(3_000, config.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG));
    }

    @Test
    void withoutOneItStaysDynamicButKeepsTheShortSession() {
        for (GroupMembership membership : new GroupMembership[] {GroupMembership.DYNAMIC,
                GroupMembership.of(Optional.of("  "))}) {
            Map<String, Object> config = membership.consumerConfig("images");
            assertFalse(membership.isStatic());
            assertFalse(config.containsKey(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), config.toString());
            assertEquals(10_000, config.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
        }
        assertTrue(GroupMembership.of(Optional.of("x")).isStatic());
    }
}
