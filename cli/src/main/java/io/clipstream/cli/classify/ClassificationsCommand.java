package io.clipstream.cli.classify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.clipstream.cli.kafka.KafkaOptions;
import io.clipstream.schemas.Classification;
import io.clipstream.schemas.ClassificationFilter;
import io.clipstream.schemas.ScoredLabel;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.clipstream.schemas.serde.RecordDecodingException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** {@code clipstream classifications subscribe}: print classifications as they arrive on the topic. */
@Command(name = "classifications", description = "Zero-shot classifications of the embedded images.",
        subcommands = ClassificationsCommand.Subscribe.class)
public final class ClassificationsCommand {

    @Command(name = "subscribe", mixinStandardHelpOptions = true,
            description = "Print classifications from now on as they arrive on " + Topics.CLASSIFICATIONS
                    + " (read directly from Kafka, committed transactions only), one line each; Ctrl-C stops.")
    public static final class Subscribe implements Callable<Integer> {

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--label-set", paramLabel = "ID", description = "Only this label set.")
        String labelSet;

        @Option(names = "--label", paramLabel = "L", description = "Only classifications listing this label.")
        String label;

        @Option(names = "--min-score", paramLabel = "P",
                description = "Only with at least this probability (of --label when given, else of the best label).")
        Float minScore;

        @Option(names = "--json", description = "One JSON object per line instead of text.")
        boolean json;

        @Option(names = "--max", paramLabel = "N", description = "Stop after printing N classifications.")
        Long max;

        @Mixin
        KafkaOptions kafka;

        private static final ObjectMapper JSON = new ObjectMapper();

        @Override
        public Integer call() throws Exception {
            if (minScore != null && !(minScore >= 0f && minScore <= 1f)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--min-score must be between 0 and 1");
            }
            ClassificationFilter match = new ClassificationFilter(labelSet, label, minScore);
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            AvroSerde<Classification> classifications = AvroSerde.of(Classification.class);
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProperties(),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions;
                try {
                    partitions = consumer.partitionsFor(Topics.CLASSIFICATIONS, kafka.timeout())
                            .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                } catch (TimeoutException e) {
                    throw KafkaOptions.unreachable(kafka.bootstrapServers(), kafka.timeout(), Topics.CLASSIFICATIONS);
                }
                Thread main = Thread.currentThread();
                Thread stopper = new Thread(() -> {
                    consumer.wakeup();
                    try {
                        main.join(5000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                Runtime.getRuntime().addShutdownHook(stopper);
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position); // "from now on" is now, not at the first poll
                err.println("subscribed to " + Topics.CLASSIFICATIONS + " (" + partitions.size() + " partitions) on "
                        + kafka.bootstrapServers() + "; waiting for classifications");
                err.flush();
                long printed = 0;
                try {
                    while (max == null || printed < max) {
                        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                            Classification classification;
                            try {
                                classification = classifications.decode(record.value());
                            } catch (RecordDecodingException e) {
                                err.println("skipping an unreadable record at " + record.partition() + "@"
                                        + record.offset() + ": " + e.getMessage());
                                continue;
                            }
                            if (classification == null || !match.test(classification)) {
                                continue;
                            }
                            out.println(json ? toJson(classification) : toLine(classification));
                            out.flush();
                            if (max != null && ++printed >= max) {
                                break;
                            }
                        }
                    }
                } catch (WakeupException e) {
                    // Ctrl-C
                } finally {
                    try {
                        Runtime.getRuntime().removeShutdownHook(stopper);
                    } catch (IllegalStateException e) {
                        // already shutting down
                    }
                }
            }
            return 0;
        }

        private Properties consumerProperties() {
            Properties props = kafka.settings().properties();
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.CLIENT_ID_CONFIG, "clipstream-cli-classifications");
            return props;
        }

        /** {@code 2026-03-01T10:00:00.040Z  img-1  pets@2  model 3  cat 0.93, dog 0.05}. */
        static String toLine(Classification c) {
            StringBuilder line = new StringBuilder();
            line.append(c.getClassifiedTime()).append("  ").append(c.getImageId()).append("  ")
                    .append(c.getLabelSetId()).append('@').append(c.getLabelSetRevision())
                    .append("  model ").append(c.getModelVersion()).append("  ");
            if (c.getLabels().isEmpty()) {
                line.append("(no label above the set's minimum probability)");
            }
            for (int i = 0; i < c.getLabels().size(); i++) {
                ScoredLabel label = c.getLabels().get(i);
                line.append(i == 0 ? "" : ", ").append(label.getLabel())
                        .append(String.format(Locale.ROOT, " %.2f", label.getProbability()));
            }
            return line.toString();
        }

        static String toJson(Classification c) {
            ObjectNode node = JSON.createObjectNode();
            node.put("imageId", c.getImageId());
            node.put("labelSetId", c.getLabelSetId());
            node.put("labelSetRevision", c.getLabelSetRevision());
            node.put("modelVersion", c.getModelVersion());
            ArrayNode labels = node.putArray("labels");
            for (ScoredLabel label : c.getLabels()) {
                labels.addObject().put("label", label.getLabel()).put("probability", label.getProbability())
                        .put("similarity", label.getSimilarity());
            }
            node.put("eventTime", c.getEventTime().toString());
            node.put("embeddedTime", c.getEmbeddedTime().toString());
            node.put("classifiedTime", c.getClassifiedTime().toString());
            ObjectNode attributes = node.putObject("attributes");
            c.getAttributes().forEach(attributes::put);
            return node.toString();
        }
    }
}
