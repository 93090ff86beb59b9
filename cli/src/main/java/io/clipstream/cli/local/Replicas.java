package io.clipstream.cli.local;

import io.clipstream.schemas.ServiceAccess;
import io.clipstream.schemas.Topics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How many instances of each service a local run starts ({@code --replicas embedder=2,classifier=2}): extra ones join
 * the same consumer group or Kafka Streams application, and share the partitions of its input topic. A service scales
 * this way only if it has a group; the trainer has none on purpose (it holds one optimiser state, and its positions
 * in pairs.normalized are committed with its checkpoints), so it runs once.
 */
public record Replicas(Map<String, Integer> counts) {

    public static final Replicas NONE = new Replicas(Map.of());

    public Replicas {
        counts = Map.copyOf(counts);
    }

    /** How many instances of {@code service} run: 1 unless told otherwise. */
    public int of(String service) {
        return counts.getOrDefault(service, 1);
    }

    /**
     * Reads {@code service=count,...}.
     *
     * @throws LocalRunException saying in one line what is wrong
     */
    public static Replicas parse(String spec) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String part : spec.split(",")) {
            String[] pair = part.strip().split("=", -1);
            if (pair.length != 2 || pair[0].isBlank()) {
                throw new LocalRunException("--replicas " + spec + ": write SERVICE=COUNT[,SERVICE=COUNT...], e.g. "
                        + "embedder=2,classifier=2");
            }
            String service = pair[0].strip();
            Optional<String> input = inputTopic(service);
            if (Installation.SERVICES.stream().noneMatch(s -> s.name().equals(service))) {
                throw new LocalRunException("--replicas: no service " + service + "; these scale: " + scalable());
            }
            if (service.equals("trainer")) {
                throw new LocalRunException("--replicas: the trainer runs once: it holds one optimiser state, and its "
                        + "positions in " + Topics.PAIRS_NORMALIZED + " are committed with its checkpoints, not by a "
                        + "consumer group; these scale: " + scalable());
            }
            if (service.equals(LocalStack.SEARCH)) {
                throw new LocalRunException("--replicas: search runs once: its embedded index is one machine's, and a "
                        + "second instance in its group would index half of " + Topics.EMBEDDINGS + " and answer half; "
                        + "these scale: " + scalable());
            }
            if (input.isEmpty()) {
                throw new LocalRunException("--replicas: " + service + " runs once (it joins no consumer group); "
                        + "these scale: " + scalable());
            }
            int count;
            try {
                count = Integer.parseInt(pair[1].strip());
            } catch (NumberFormatException e) {
                count = 0;
            }
            int partitions = Topics.get(input.get()).partitions();
            if (count < 1 || count > partitions) {
                throw new LocalRunException("--replicas " + part.strip() + ": a count from 1 to " + partitions + " ("
                        + input.get() + " has " + partitions + " partitions; a replica beyond that would get none)");
            }
            counts.put(service, count);
        }
        return new Replicas(counts);
    }

    /** The topic whose partitions the instances of {@code service} share, if it reads one in a group. */
    static Optional<String> inputTopic(String service) {
        return access(service).filter(a -> a.streamsApplicationId().isPresent() || !a.groups().isEmpty())
                .map(a -> a.reads().get(0));
    }

    /** The consumer group of {@code service} (for Kafka Streams its application id), if it has one. */
    static Optional<String> group(String service) {
        return access(service).flatMap(a -> a.streamsApplicationId().or(() -> a.groups().stream().findFirst()));
    }

    private static Optional<ServiceAccess> access(String service) {
        return ServiceAccess.all().stream().filter(a -> a.service().equals("clipstream-" + service)).findFirst();
    }

    private static String scalable() {
        List<String> names = Installation.SERVICES.stream().map(LocalService::name)
                .filter(name -> !name.equals("trainer") && !name.equals(LocalStack.SEARCH) && inputTopic(name).isPresent()).toList();
        return String.join(", ", names);
    }
}
