package io.clipstream.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * Whether this service's Kafka principal may do what its {@link ServiceAccess} says it does: every topic it reads
 * (READ), writes (WRITE) and every group it joins (READ). A readiness check reports the answer, so a service
 * deployed with another service's credentials, or before its ACLs exist, says why it is not ready instead of failing
 * record by record.
 */
public final class KafkaAccessCheck implements AutoCloseable {

    private final ServiceAccess access;
    private final Admin admin;
    private final Duration timeout;

    public KafkaAccessCheck(ServiceAccess access, KafkaClientSettings kafka, Duration timeout) {
        this.access = access;
        this.timeout = timeout;
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        this.admin = Admin.create(kafka.clientConfig(Map.of(
                AdminClientConfig.CLIENT_ID_CONFIG, access.service() + "-access-check",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis)));
    }

    /** What the principal may not do (empty: it may do everything the service needs). */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        try {
            checkTopics(problems);
            checkGroups(problems);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problems.add("interrupted while checking Kafka access");
        } catch (TimeoutException e) {
            problems.add("Kafka did not answer within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            problems.add(reason(e.getCause()));
        }
        return problems;
    }

    private void checkTopics(List<String> problems)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> topics = new LinkedHashSet<>(access.reads());
        topics.addAll(access.writes());
        Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics,
                new DescribeTopicsOptions().includeAuthorizedOperations(true)).topicNameValues();
        for (String topic : topics) {
            TopicDescription description;
            try {
                description = described.get(topic).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof TopicAuthorizationException) {
                    problems.add(access.service() + " may not " + needs(topic) + " topic " + topic
                            + " (no ACL allows this principal to)");
                    continue;
                }
                throw e;
            }
            Set<AclOperation> allowed = description.authorizedOperations();
            if (allowed == null) {
                continue; // the broker does not say; producing and consuming will tell
            }
            if (access.reads().contains(topic) && !allowed.contains(AclOperation.READ)) {
                problems.add(access.service() + " may not READ topic " + topic);
            }
            if (access.writes().contains(topic) && !allowed.contains(AclOperation.WRITE)) {
                problems.add(access.service() + " may not WRITE topic " + topic);
            }
        }
    }

    private void checkGroups(List<String> problems)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (access.allGroups().isEmpty()) {
            return;
        }
        Map<String, KafkaFuture<ConsumerGroupDescription>> described = admin.describeConsumerGroups(
                access.allGroups(), new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true))
                .describedGroups();
        for (String group : access.allGroups()) {
            try {
                Set<AclOperation> allowed = described.get(group).get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .authorizedOperations();
                if (allowed != null && !allowed.contains(AclOperation.READ)) {
                    problems.add(access.service() + " may not use consumer group " + group);
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof GroupAuthorizationException) {
                    problems.add(access.service() + " may not use consumer group " + group
                            + " (no ACL allows this principal to)");
                } else if (!(e.getCause() instanceof GroupIdNotFoundException)) {
                    // Not found means allowed to describe it: the group simply has not been joined yet.
                    throw e;
                }
            }
        }
    }

    private String needs(String topic) {
        boolean reads = access.reads().contains(topic);
        boolean writes = access.writes().contains(topic);
        return reads && writes ? "READ or WRITE" : reads ? "READ" : "WRITE";
    }

    private static String reason(Throwable cause) {
        if (cause instanceof AuthenticationException) {
            return "Kafka refused the credentials: " + cause.getMessage();
        }
        return "cannot check Kafka access: " + cause;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
