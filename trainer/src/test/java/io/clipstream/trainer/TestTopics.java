package io.clipstream.trainer;

import io.clipstream.broker.TopicProvisioner;
import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.Topics;
import java.util.List;
import java.util.UUID;

/** Topics of a test's own on the shared broker, so that tests in one JVM never read each other's pairs. */
public final class TestTopics {

    private TestTopics() {
    }

    /** A new pairs topic with {@code partitions} partitions and the catalog's settings. */
    public static String pairs(String bootstrapServers, int partitions) {
        String name = "test.pairs." + UUID.randomUUID();
        create(bootstrapServers, new Topics.TopicSpec(name, partitions, NormalizedPair.class,
                Topics.get(Topics.PAIRS_NORMALIZED).configs()));
        return name;
    }

    /** A new compacted checkpoints topic. */
    public static String checkpoints(String bootstrapServers) {
        String name = "test.checkpoints." + UUID.randomUUID();
        create(bootstrapServers, new Topics.TopicSpec(name, 1, Checkpoint.class,
                Topics.get(Topics.CHECKPOINTS).configs()));
        return name;
    }

    private static void create(String bootstrapServers, Topics.TopicSpec spec) {
        TopicProvisioner.ensure(bootstrapServers, List.of(spec), (short) 1);
    }
}
