package io.clipstream.search.runtime;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

/** {@code clipstream.kafka.*}: how this replica joins its consumer group (see schemas' GroupMembership). */
@ConfigMapping(prefix = "clipstream.kafka")
public interface KafkaMembershipConfig {

    /** This replica's stable name in the group (env CLIPSTREAM_KAFKA_GROUP_INSTANCE_ID; the StatefulSet's pod name). */
    Optional<String> groupInstanceId();
}
