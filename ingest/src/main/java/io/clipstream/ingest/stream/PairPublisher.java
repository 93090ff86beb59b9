package io.clipstream.ingest.stream;

import io.clipstream.http.HttpError;
import io.clipstream.ingest.api.PairTooLargeException;
import io.clipstream.schemas.ImageTextPair;
import io.clipstream.schemas.KafkaClientSettings;
import io.clipstream.schemas.Topics;
import io.clipstream.schemas.serde.AvroSerde;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.record.AbstractRecords;
import org.apache.kafka.common.record.CompressionType;
import org.apache.kafka.common.record.Record;
import org.apache.kafka.common.record.RecordBatch;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes uploaded pairs to pairs.raw and waits for the broker's acknowledgement before answering. A pair is
 * encoded first and measured the way the producer measures it, so that one no record can hold is refused before
 * anything of its upload is sent.
 */
@ApplicationScoped
public class PairPublisher {

    /**
     * The largest record this producer sends ({@code max.request.size}): the catalog's
     * {@link Topics#MAX_MESSAGE_BYTES}, which is also pairs.raw's {@code max.message.bytes}.
     */
    public static final int MAX_RECORD_BYTES = Topics.MAX_MESSAGE_BYTES;

    /** A pair encoded as its record's key and value. */
    public record EncodedPair(String pairId, byte[] value) {
    }

    private final AvroSerde<ImageTextPair> serde = AvroSerde.of(ImageTextPair.class);
    private final KafkaProducer<String, byte[]> producer;

    public PairPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafka) {
        Map<String, Object> props = KafkaClientSettings.of(kafka).clientConfig();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, MAX_RECORD_BYTES);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "clipstream-ingest-uploads");
        producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Encodes a pair, refusing it with {@link PairTooLargeException} when its record would be larger than
     * {@link #MAX_RECORD_BYTES} (the producer would fail it with RecordTooLargeException, for good).
     *
     * @param where the pair's place in its upload, for the message
     */
    public EncodedPair encode(ImageTextPair pair, String where) {
        byte[] value = serde.encode(pair);
        // The producer's own bound on a record's size (a batch of one), so that what passes here passes there.
        int recordBytes = AbstractRecords.estimateSizeInBytesUpperBound(RecordBatch.CURRENT_MAGIC_VALUE,
                CompressionType.NONE, pair.getPairId().getBytes(StandardCharsets.UTF_8), value, Record.EMPTY_HEADERS);
        if (recordBytes > MAX_RECORD_BYTES) {
            throw new PairTooLargeException(where + ": the pair is " + recordBytes + " bytes as a record, larger than the "
                    + MAX_RECORD_BYTES + " bytes a record of " + Topics.PAIRS_RAW + " may be (max.message.bytes); "
                    + "send a smaller image (" + pair.getImage().remaining() + " bytes now)");
        }
        return new EncodedPair(pair.getPairId(), value);
    }

    /** Sends all pairs, then waits until every one is acknowledged. */
    public void publish(List<EncodedPair> pairs) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(pairs.size());
        for (EncodedPair pair : pairs) {
            acks.add(producer.send(new ProducerRecord<>(Topics.PAIRS_RAW, pair.pairId(), pair.value())));
        }
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new PublishFailedException("Kafka did not accept the pair(s): " + e.getMessage(), e);
        }
    }

    @PreDestroy
    void close() {
        producer.close();
    }

    /** The broker did not acknowledge: the caller gets 503 and may retry. */
    public static final class PublishFailedException extends HttpError {
        PublishFailedException(String message, Throwable cause) {
            super(Response.Status.SERVICE_UNAVAILABLE, message, cause);
        }
    }
}
