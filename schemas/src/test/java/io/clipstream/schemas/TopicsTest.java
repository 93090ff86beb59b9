package io.clipstream.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopicsTest {

    @Test
    void namesAreUniqueAndPrefixed() {
        Set<String> names = new HashSet<>();
        for (Topics.TopicSpec topic : Topics.all()) {
            assertTrue(names.add(topic.name()), "duplicate " + topic.name());
            assertTrue(topic.name().startsWith("clipstream."), topic.name());
            assertTrue(topic.partitions() >= 1, topic.name());
        }
        assertEquals(10, names.size());
    }

    @Test
    void stateTopicsAreCompactedAndStreamsAreNot() {
        assertTrue(Topics.get(Topics.LABEL_SETS).compacted());
        assertTrue(Topics.get(Topics.CHECKPOINTS).compacted());
        Topics.all().stream()
                .filter(t -> !t.name().equals(Topics.LABEL_SETS) && !t.name().equals(Topics.CHECKPOINTS))
                .forEach(t -> assertEquals("delete", t.configs().get("cleanup.policy"), t.name()));
    }

    @Test
    void everyStreamHasARejectedTopic() {
        for (String in : new String[] {Topics.PAIRS_RAW, Topics.IMAGES, Topics.EMBEDDINGS}) {
            String rejected = in.replace(".raw", "") + ".rejected";
            assertTrue(Topics.find(rejected).isPresent(), rejected);
        }
        assertThrows(IllegalArgumentException.class, () -> Topics.get("nope"));
    }
}
