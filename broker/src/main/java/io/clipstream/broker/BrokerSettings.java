package io.clipstream.broker;

import io.clipstream.schemas.Topics;
import java.util.Map;

/** Broker settings shared by the in-process and the standalone broker: one node, so replication factor 1. */
final class BrokerSettings {

    private BrokerSettings() {
    }

    static Map<String, String> singleNode() {
        return Map.ofEntries(
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "5"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "5"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("default.replication.factor", "1"),
                Map.entry("min.insync.replicas", "1"),
                // Consumers join at once instead of waiting 3 s for more members: tests and demos start fast.
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // Topics come from the catalog; a typo in a topic name must fail, not create a new topic.
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("message.max.bytes", Integer.toString(Topics.MAX_MESSAGE_BYTES + 1024)),
                Map.entry("replica.fetch.max.bytes", Integer.toString(Topics.MAX_MESSAGE_BYTES + 1024)));
    }
}
