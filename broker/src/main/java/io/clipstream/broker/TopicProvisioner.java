package io.clipstream.broker;

import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.Topics.TopicSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Creates the catalog's topics on a broker, idempotently, and checks existing ones match the catalog. */
public final class TopicProvisioner {

    private TopicProvisioner() {
    }

    /** Creates every missing catalog topic; returns the names it created. */
    public static List<String> ensureCatalog(String bootstrapServers, short replicationFactor) {
        return ensure(bootstrapServers, Topics.all(), replicationFactor);
    }

    /** As {@link #ensureCatalog(String, short)}, with a client of these settings (a secured cluster's admin). */
    public static List<String> ensureCatalog(KafkaClientSettings kafka, short replicationFactor) {
        return ensure(kafka, Topics.all(), replicationFactor);
    }

    public static List<String> ensure(String bootstrapServers, List<TopicSpec> topics, short replicationFactor) {
        return ensure(KafkaClientSettings.plaintext(bootstrapServers), topics, replicationFactor);
    }

    public static List<String> ensure(KafkaClientSettings kafka, List<TopicSpec> topics, short replicationFactor) {
        String bootstrapServers = kafka.bootstrapServers();
        Properties props = kafka.properties();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (TopicSpec spec : topics) {
                if (!existing.contains(spec.name())) {
                    missing.add(new NewTopic(spec.name(), spec.partitions(), replicationFactor).configs(spec.configs()));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            }
            checkPartitions(admin, topics);
            return missing.stream().map(NewTopic::name).toList();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create Clipstream topics on " + bootstrapServers + ": " + e, e);
        }
    }

    private static void checkPartitions(Admin admin, List<TopicSpec> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, TopicDescription> described = describe(admin, topics);
        for (TopicSpec spec : topics) {
            int actual = described.get(spec.name()).partitions().size();
            if (actual < spec.partitions()) {
                throw new IllegalStateException("Topic " + spec.name() + " has " + actual
                        + " partitions, the catalog wants " + spec.partitions());
            }
        }
    }

    /**
     * Describes the topics, waiting for topics just created: the controller acknowledges a creation before every
     * broker's metadata has it, and a describe in between fails with UnknownTopicOrPartition (seen on busy machines).
     */
    private static Map<String, TopicDescription> describe(Admin admin, List<TopicSpec> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.describeTopics(topics.stream().map(TopicSpec::name).toList()).allTopicNames()
                        .get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }
}
