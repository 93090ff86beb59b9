package io.clipstream.embedder.runtime;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** {@code clipstream.kafka.*}: how this replica joins its consumer group (see schemas' GroupMembership). */
@ConfigMapping(prefix = "clipstream.kafka")
public interface KafkaMembershipConfig {

    /**
     * This replica's stable name in the group (env CLIPSTREAM_KAFKA_GROUP_INSTANCE_ID; a StatefulSet's pod name):
     * static membership. Unset: dynamic membership.
     */
    Optional<String> groupInstanceId();
}
