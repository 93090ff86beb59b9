package io.clipstream.cli.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.EmbeddedKafka;
import io.clipstream.broker.KafkaTestClient;
import io.clipstream.cli.Clipstream;
import io.clipstream.schemas.Classification;
import io.clipstream.schemas.ScoredLabel;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code clipstream classifications subscribe} against the real broker. */
class ClassificationsSubscribeTest {

    private final String run = UUID.randomUUID().toString().substring(0, 8);

    private Classification classification(String image, String set, String label, float probability) {
        Instant t = Instant.parse("2026-03-01T10:00:00Z");
        return Classification.newBuilder().setImageId(image).setLabelSetId(set).setLabelSetRevision(2)
                .setModelVersion("3").setLabels(List.of(new ScoredLabel(label, probability, 0.3f)))
                .setEventTime(t).setEmbeddedTime(t).setClassifiedTime(t.plusMillis(40))
                .setAttributes(Map.of("camera", "7")).build();
    }

    @Test
    void printsTheMatchingClassificationsFromNowOn() throws Exception {
        String set = "pets-" + run;
        AvroSerde<Classification> serde = AvroSerde.of(Classification.class);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        try (KafkaTestClient kafka = KafkaTestClient.shared()) {
            // Already on the topic before subscribing: not printed.
            kafka.send(Topics.CLASSIFICATIONS, run + "-old", serde.encode(classification(run + "-old", set, "cat", 0.9f)));

            CompletableFuture<Integer> subscribed = CompletableFuture.supplyAsync(() -> Clipstream.commandLine()
                    .setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                    .execute("classifications", "subscribe", "--label-set", set, "--label", "cat", "--min-score", "0.5",
                            "--max", "2", "-b", EmbeddedKafka.shared().bootstrapServers()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!err.toString().contains("subscribed to") && System.nanoTime() < deadline && !subscribed.isDone()) {
                Thread.sleep(20);
            }
            assertTrue(err.toString().contains("subscribed to " + Topics.CLASSIFICATIONS), err.toString());

            kafka.send(Topics.CLASSIFICATIONS, run + "-other-set", serde.encode(classification(run + "-other-set", "other", "cat", 0.9f)));
            kafka.send(Topics.CLASSIFICATIONS, run + "-dog", serde.encode(classification(run + "-dog", set, "dog", 0.9f)));
            kafka.send(Topics.CLASSIFICATIONS, run + "-unsure", serde.encode(classification(run + "-unsure", set, "cat", 0.4f)));
            kafka.send(Topics.CLASSIFICATIONS, run + "-cat-1", serde.encode(classification(run + "-cat-1", set, "cat", 0.8f)));
            kafka.send(Topics.CLASSIFICATIONS, run + "-cat-2", serde.encode(classification(run + "-cat-2", set, "cat", 0.7f)));

            assertEquals(0, subscribed.get(60, TimeUnit.SECONDS), err.toString());
        }
        List<String> lines = out.toString().lines().toList();
        assertEquals(2, lines.size(), out.toString());
        assertTrue(lines.stream().anyMatch(l -> l.equals("2026-03-01T10:00:00.040Z  " + run + "-cat-1  " + set
                + "@2  model 3  cat 0.80")), out.toString());
        assertTrue(lines.stream().anyMatch(l -> l.contains(run + "-cat-2")), out.toString());
    }

    @Test
    void jsonLinesCarryEveryField() throws Exception {
        String line = ClassificationsCommand.Subscribe.toJson(classification("img", "pets", "cat", 0.75f));
        assertEquals("{\"imageId\":\"img\",\"labelSetId\":\"pets\",\"labelSetRevision\":2,\"modelVersion\":\"3\","
                + "\"labels\":[{\"label\":\"cat\",\"probability\":0.75,\"similarity\":0.3}],"
                + "\"eventTime\":\"2026-03-01T10:00:00Z\",\"embeddedTime\":\"2026-03-01T10:00:00Z\","
                + "\"classifiedTime\":\"2026-03-01T10:00:00.040Z\",\"attributes\":{\"camera\":\"7\"}}", line);
    }
}
