package io.clipstream.schemas;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * What one service may do on the cluster, beside the topic catalog: the topics it reads and writes and the consumer
 * groups it joins. Each service is its own principal ({@code User:<service>}, a Strimzi {@code KafkaUser} of that
 * name); its ACLs ({@link #acls()}) allow exactly this and nothing else.
 *
 * @param service             the service's name and principal name ({@code clipstream-ingest}, …)
 * @param reads               topics it consumes
 * @param writes              topics it produces to
 * @param groups              consumer groups it joins (or commits to)
 * @param streamsApplicationId a Kafka Streams application id: its group, the prefix of its internal (changelog,
 *                            repartition) topics, which it creates, and of its exactly-once transactional ids
 */
public record ServiceAccess(String service, List<String> reads, List<String> writes, List<String> groups,
        Optional<String> streamsApplicationId) {

    public static final String INGEST = "clipstream-ingest";
    public static final String TRAINER = "clipstream-trainer";
    public static final String EMBEDDER = "clipstream-embedder";
    public static final String CLASSIFIER = "clipstream-classifier";
    public static final String SEARCH = "clipstream-search";

    private static final List<ServiceAccess> ALL = List.of(
            // Kafka Streams normalises pairs.raw; the HTTP uploads are written to pairs.raw too.
            new ServiceAccess(INGEST, List.of(Topics.PAIRS_RAW),
                    List.of(Topics.PAIRS_RAW, Topics.PAIRS_NORMALIZED, Topics.PAIRS_REJECTED), List.of(),
                    Optional.of(INGEST)),
            // Manual assignment, positions kept in checkpoints: no group.
            new ServiceAccess(TRAINER, List.of(Topics.PAIRS_NORMALIZED), List.of(Topics.CHECKPOINTS), List.of(),
                    Optional.empty()),
            new ServiceAccess(EMBEDDER, List.of(Topics.IMAGES),
                    List.of(Topics.EMBEDDINGS, Topics.IMAGES_REJECTED), List.of(EMBEDDER), Optional.empty()),
            // Kafka Streams joins embeddings with label-sets; the HTTP API writes label sets and the live feed
            // reads classifications (no group).
            new ServiceAccess(CLASSIFIER, List.of(Topics.EMBEDDINGS, Topics.LABEL_SETS, Topics.CLASSIFICATIONS),
                    List.of(Topics.CLASSIFICATIONS, Topics.EMBEDDINGS_REJECTED, Topics.LABEL_SETS), List.of(),
                    Optional.of(CLASSIFIER)),
            // A sink: embeddings into its own vector index (offsets kept in the index, committed to the group for
            // lag); what it cannot index goes to embeddings.rejected.
            new ServiceAccess(SEARCH, List.of(Topics.EMBEDDINGS), List.of(Topics.EMBEDDINGS_REJECTED), List.of(SEARCH),
                    Optional.empty()));

    public ServiceAccess {
        reads = List.copyOf(reads);
        writes = List.copyOf(writes);
        groups = List.copyOf(groups);
        for (String topic : reads) {
            Topics.get(topic);
        }
        for (String topic : writes) {
            Topics.get(topic);
        }
    }

    /** Every service's access. */
    public static List<ServiceAccess> all() {
        return ALL;
    }

    public static ServiceAccess of(String service) {
        return ALL.stream().filter(a -> a.service().equals(service)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Not a Clipstream service: " + service));
    }

    /** The same access with other consumer groups (a service whose group id is configured). */
    public ServiceAccess withGroups(List<String> otherGroups) {
        return new ServiceAccess(service, reads, writes, otherGroups, streamsApplicationId);
    }

    /** {@code User:<service>}: Kafka's principal for a SCRAM user (and Strimzi's for a KafkaUser) of that name. */
    public String principal() {
        return "User:" + service;
    }

    /** Every group the service uses: its own and its Kafka Streams application's. */
    public List<String> allGroups() {
        List<String> all = new ArrayList<>(groups);
        streamsApplicationId.ifPresent(all::add);
        return List.copyOf(all);
    }

    /** The ACLs that allow this access and nothing more (everything else is denied when no ACL matches). */
    public List<AclBinding> acls() {
        List<AclBinding> acls = new ArrayList<>();
        for (String topic : reads) {
            acls.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
        }
        for (String topic : writes) {
            acls.add(allow(ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
        }
        for (String group : allGroups()) {
            acls.add(allow(ResourceType.GROUP, group, PatternType.LITERAL, AclOperation.READ));
        }
        streamsApplicationId.ifPresent(id -> {
            // Internal topics are named <application id>-…-changelog/-repartition: Streams creates and owns them.
            acls.add(allow(ResourceType.TOPIC, id, PatternType.PREFIXED, AclOperation.ALL));
            // Exactly-once: transactional ids are <application id>-<process id>-<thread>.
            acls.add(allow(ResourceType.TRANSACTIONAL_ID, id, PatternType.PREFIXED, AclOperation.WRITE));
            acls.add(allow(ResourceType.TRANSACTIONAL_ID, id, PatternType.PREFIXED, AclOperation.DESCRIBE));
        });
        return List.copyOf(acls);
    }

    private AclBinding allow(ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal(), "*", operation, AclPermissionType.ALLOW));
    }
}
