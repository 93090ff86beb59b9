package io.clipstream.embedder;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The embedder's test configurations; each profile is its own application, with its own checkpoint store. */
public final class EmbedderProfiles {

    private EmbedderProfiles() {
    }

    /**
     * Checkpoint "1" named by the watched rollout file; "2" and the corrupt "3" beside it in the store. Three decode
     * threads, whatever the cores, so that the stream's tests go through the decode pool.
     */
    public static class ServingVersion1 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("clipstream.embedder.decode.threads", "3");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(CheckpointStoreTestResource.class,
                    Map.of(CheckpointStoreTestResource.INITIAL, "1")));
        }
    }

    /** The same store, in an application of its own: the rollout tests switch its model. */
    public static class Rollout extends ServingVersion1 {
    }

    /** A store with checkpoints, but none named: the rollout file is there and empty of a version. */
    public static class NoCheckpoint implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(CheckpointStoreTestResource.class,
                    Map.of(CheckpointStoreTestResource.INITIAL, "")));
        }
    }
}
