package io.clipstream.schemas;

/**
 * Readiness by partition assignment: a service instance that reads a topic in a consumer group (or a Kafka Streams
 * application) is ready only once it has taken part in its group's assignment since it started (the embedder's
 * consumer got its first assignment; a Streams instance reached RUNNING, its state stores restored), and stays ready
 * through later rebalances. So "ready" means "consuming": a rolling update does not take down the next replica while
 * the previous one has not yet taken its partitions back (measured in the fault suite: without this the restarted
 * embedder was ready 1.2 s, the classifier 2.9 s and ingest 0.6 s before its group handed it partitions). Later
 * rebalances do not make it unready, since that would withdraw every replica's HTTP endpoints at once on each one;
 * an instance given no partitions (more replicas than partitions) is ready too, once it has joined.
 */
public final class GroupJoined {

    /** The name of the readiness check that reports it. */
    public static final String CHECK_NAME = "Kafka group";

    private volatile boolean joined;

    /** Notes whether the instance is in its group's assignment now; answers whether it has been since start. */
    public boolean observe(boolean inAssignmentNow) {
        if (inAssignmentNow) {
            joined = true;
        }
        return joined;
    }

    public boolean joined() {
        return joined;
    }
}
