package io.clipstream.faults;

import io.clipstream.model.ClipConfig;
import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.ClipSerdes;
import io.clipstream.trainer.checkpoint.TrainerState;
import io.clipstream.trainer.data.HeldOutSplit;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What the trainer's scenarios share: its settings, the pairs it reads, and what it stored and announced. */
final class Training {

    static final String PRESET = "tiny";
    static final double HELD_OUT = 0.1;
    static final int EVERY_STEPS = 8;
    private static final List<String> COLOURS = List.of("red", "green", "blue", "yellow", "purple", "orange", "black",
            "white");
    private static final List<String> SHAPES = List.of("square", "circle", "triangle", "star", "cross", "ring");
    private static final List<String> PLACES = List.of("on grass", "in the sky", "under water", "on a table",
            "in snow");

    private Training() {
    }

    /**
     * The trainer of a scenario: the tiny model learning its vocabulary from the first 100 captions, batches of 16
     * (a quarter replayed), a checkpoint every {@value #EVERY_STEPS} steps and on shutdown, every version kept, each
     * step's fresh pair ids in its log.
     */
    static Map<String, String> settings() {
        return new TreeMap<>(Map.ofEntries(
                Map.entry("clipstream.trainer.preset", PRESET),
                Map.entry("clipstream.trainer.tokenizer.bootstrap-captions", "100"),
                Map.entry("clipstream.trainer.tokenizer.bootstrap-quiet", "PT2S"),
                Map.entry("clipstream.trainer.tokenizer.vocab-size", "1024"),
                Map.entry("clipstream.trainer.batch.size", "16"),
                Map.entry("clipstream.trainer.batch.shuffle-buffer", "32"),
                Map.entry("clipstream.trainer.batch.replay-capacity", "64"),
                Map.entry("clipstream.trainer.batch.idle-flush", "PT1S"),
                Map.entry("clipstream.trainer.held-out.fraction", Double.toString(HELD_OUT)),
                Map.entry("clipstream.trainer.optimizer.warmup-steps", "5"),
                Map.entry("clipstream.trainer.checkpoint.every-steps", Integer.toString(EVERY_STEPS)),
                Map.entry("clipstream.trainer.checkpoint.every", "PT1H"),
                Map.entry("clipstream.trainer.checkpoint.on-shutdown", "true"),
                Map.entry("clipstream.trainer.checkpoint.retention.enabled", "false"),
                Map.entry("clipstream.trainer.peak-flops", "1e11"),
                Map.entry("quarkus.log.category.\"io.clipstream.trainer.steps\".level", "DEBUG")));
    }

    /** The ids the trainer trains on (those it does not hold out), in order. */
    static List<String> trainable(List<String> ids) {
        HeldOutSplit split = new HeldOutSplit(HELD_OUT);
        return ids.stream().filter(id -> !split.isHeldOut(id)).toList();
    }

    /** Pair {@code index}: a block pattern no other index has, at the preset's image size, and a short caption. */
    static byte[] pair(int index) {
        int size = ClipConfig.preset(PRESET).imageSize();
        byte[] pixels = new byte[size * size * 3];
        SplittableRandom random = new SplittableRandom(index * 7919L + 17);
        int block = Math.max(1, size / 16);
        for (int y = 0; y < size; y += block) {
            for (int x = 0; x < size; x += block) {
                int rgb = random.nextInt(1 << 24);
                for (int dy = 0; dy < block && y + dy < size; dy++) {
                    for (int dx = 0; dx < block && x + dx < size; dx++) {
                        int at = ((y + dy) * size + x + dx) * 3;
                        pixels[at] = (byte) (rgb >> 16);
                        pixels[at + 1] = (byte) (rgb >> 8);
                        pixels[at + 2] = (byte) rgb;
                    }
                }
            }
        }
        String caption = "a " + COLOURS.get(index % COLOURS.size()) + " " + SHAPES.get(index / 8 % SHAPES.size()) + " "
                + PLACES.get(index / 48 % PLACES.size()) + " number " + index;
        Instant now = Instant.now();
        return ClipSerdes.normalizedPair().encode(NormalizedPair.newBuilder().setPairId("pair-" + index)
                .setWidth(size).setHeight(size).setPixels(ByteBuffer.wrap(pixels)).setCaption(caption)
                .setContentHash(sha256(pixels)).setEventTime(now).setNormalizedTime(now).setSource("faults").build());
    }

    /** Every record on the checkpoints topic so far, in order per partition. */
    static List<Checkpoint> announcements(String bootstrap) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap, ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CHECKPOINTS, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(Topics.CHECKPOINTS, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<Checkpoint> records = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    records.add(ClipSerdes.checkpoint().decode(record.value()));
                }
            }
            return records;
        }
    }

    /** The trainer's versions in the store (numeric names), oldest first. */
    static List<String> storedVersions(Path store) throws IOException {
        if (!Files.isDirectory(store)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(store)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .sorted((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b))).toList();
        }
    }

    /** The newest version in the store and its trainer state. */
    static Optional<Map.Entry<String, TrainerState>> latest(Path store) throws IOException {
        List<String> versions = storedVersions(store);
        if (versions.isEmpty()) {
            return Optional.empty();
        }
        String version = versions.getLast();
        return Optional.of(Map.entry(version, TrainerState.read(store.resolve(version).resolve(TrainerState.FILE_NAME))));
    }

    /** Staging directories left in the store (a write that failed or was killed). */
    static List<Path> staging(Path store) throws IOException {
        Path staging = store.resolve(".staging");
        if (!Files.isDirectory(staging)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(staging)) {
            return entries.toList();
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
