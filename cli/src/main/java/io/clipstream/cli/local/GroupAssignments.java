package io.clipstream.cli.local;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Who holds which partitions of a service's input topic, and how far behind they are, as the broker sees it (Kafka's
 * Admin client): a service's consumer group, for Kafka Streams its application id. Members are matched to the local
 * instances by their {@code group.instance.id}, which each instance is given as {@link LocalService#groupInstanceId()}
 * (Kafka Streams adds {@code -<thread>} to it).
 */
final class GroupAssignments {

    private static final long TIMEOUT_SECONDS = 5;

    /** One member: its id (group instance id, else client id) and the input partitions it holds. */
    record Member(String id, List<Integer> partitions) {
    }

    /** A service's group: its input topic's partitions, members, and lag (end offset less committed) per partition. */
    record Group(String service, String groupId, String topic, int partitions, List<Member> members,
            Map<Integer, Long> lag) {

        long totalLag() {
            return lag.values().stream().mapToLong(Long::longValue).sum();
        }

        long lagOf(Collection<Integer> held) {
            return held.stream().mapToLong(p -> lag.getOrDefault(p, 0L)).sum();
        }

        /** The member that is {@code instance}, if it is in the group now. */
        Optional<Member> memberOf(LocalService instance) {
            String id = instance.groupInstanceId();
            return members.stream().filter(m -> m.id().equals(id) || m.id().startsWith(id + "-")).findFirst();
        }
    }

    private GroupAssignments() {
    }

    /** The groups of those of {@code services} that consume in one, in their order. */
    static List<Group> read(String bootstrapServers, Collection<String> services) throws Exception {
        Map<String, String> groups = new LinkedHashMap<>();
        for (String service : services) {
            Replicas.group(service).ifPresent(group -> groups.put(service, group));
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        List<Group> read = new ArrayList<>();
        try (Admin admin = Admin.create(props)) {
            for (Map.Entry<String, String> entry : groups.entrySet()) {
                String topic = Replicas.inputTopic(entry.getKey()).orElseThrow();
                int partitions = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic).partitions().size();
                List<Member> members = new ArrayList<>();
                for (MemberDescription member : members(admin, entry.getValue())) {
                    members.add(new Member(member.groupInstanceId().orElse(member.clientId()),
                            List.copyOf(new TreeSet<>(member.assignment().topicPartitions().stream()
                                    .filter(tp -> tp.topic().equals(topic)).map(TopicPartition::partition).toList()))));
                }
                read.add(new Group(entry.getKey(), entry.getValue(), topic, partitions, members,
                        lag(admin, entry.getValue(), topic, partitions)));
            }
        }
        return read;
    }

    /** The group's members now; none while it has not formed yet (no instance started consuming). */
    private static Collection<MemberDescription> members(Admin admin, String group) throws Exception {
        try {
            ConsumerGroupDescription described = admin.describeConsumerGroups(List.of(group)).describedGroups()
                    .get(group).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return described.members();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return List.of();
            }
            throw e;
        }
    }

    private static Map<Integer, Long> lag(Admin admin, String group, String topic, int partitions) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Map<Integer, Long> lag = new LinkedHashMap<>();
        for (TopicPartition partition : latest.keySet()) {
            OffsetAndMetadata at = committed.get(partition);
            // Nothing committed yet: everything in the partition is still to be read.
            lag.put(partition.partition(), Math.max(0, ends.get(partition).offset() - (at == null ? 0 : at.offset())));
        }
        return lag;
    }
}
