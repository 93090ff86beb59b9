package io.clipstream.trainer.stream;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.broker.KafkaTestClient;
import io.clipstream.broker.SecuredKafka;
import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.CheckpointStatus;
import io.clipstream.schemas.ServiceAccess;
import io.clipstream.schemas.Topics;
import io.clipstream.trainer.checkpoint.CheckpointAnnouncer.AnnouncementException;
import io.clipstream.trainer.data.SourcePositions;
import io.clipstream.trainer.data.SourceRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/**
 * The trainer's own Kafka clients (the pair source and the checkpoint announcer) against the SASL_SSL broker with
 * ACLs: with the trainer's principal they read pairs.normalized and announce on checkpoints; with another service's
 * they are refused. (Client level: a whole trainer run is the job of TrainerServiceTest.)
 */
class TrainerKafkaClientsSecuredTest {

    private static final SecuredKafka BROKER = SecuredKafka.shared();

    @Test
    void theTrainersPrincipalReadsPairsAndAnnouncesCheckpoints() throws Exception {
        byte[] marker = ("pair-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        try (KafkaTestClient admin = new KafkaTestClient(BROKER.adminSettings())) {
            admin.send(Topics.PAIRS_NORMALIZED, "k", marker);
        }
        try (KafkaPairSource source = new KafkaPairSource(BROKER.clientSettings(ServiceAccess.TRAINER),
                Topics.PAIRS_NORMALIZED, "earliest", "secured-test")) {
            source.seek(SourcePositions.none(Topics.PAIRS_NORMALIZED));
            List<SourceRecord> read = new ArrayList<>();
            for (int i = 0; i < 100 && read.stream().noneMatch(r -> Arrays.equals(marker, r.value())); i++) {
                read.addAll(source.poll(Duration.ofMillis(300)));
            }
            assertTrue(read.stream().anyMatch(r -> Arrays.equals(marker, r.value())), "the pair was read");
        }
        try (KafkaCheckpointAnnouncer announcer = new KafkaCheckpointAnnouncer(
                BROKER.clientSettings(ServiceAccess.TRAINER), Topics.CHECKPOINTS, "secured-test")) {
            announcer.announce(checkpoint("secured-" + UUID.randomUUID()));
        }
    }

    @Test
    void anotherPrincipalIsRefused() {
        assertThrows(TopicAuthorizationException.class, () -> new KafkaPairSource(
                BROKER.clientSettings(ServiceAccess.EMBEDDER), Topics.PAIRS_NORMALIZED, "earliest", "secured-test"));
        try (KafkaCheckpointAnnouncer announcer = new KafkaCheckpointAnnouncer(
                BROKER.clientSettings(ServiceAccess.EMBEDDER), Topics.CHECKPOINTS, "secured-test")) {
            AnnouncementException e = assertThrows(AnnouncementException.class,
                    () -> announcer.announce(checkpoint("refused")));
            assertInstanceOf(TopicAuthorizationException.class, e.getCause().getCause(), e.toString());
        }
    }

    private static Checkpoint checkpoint(String version) {
        return Checkpoint.newBuilder().setVersion(version).setParent(null).setStep(100).setSamplesSeen(3200)
                .setSourceOffsets(List.of()).setArtifactUri("file:/nowhere").setSha256("00").setConfig("{}")
                .setMetrics(Map.of()).setStatus(CheckpointStatus.PASSED).setStatusReason(null)
                .setCreatedTime(Instant.now()).setFreshness(null).build();
    }
}
