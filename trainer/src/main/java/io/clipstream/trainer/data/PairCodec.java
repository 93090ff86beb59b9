package io.clipstream.trainer.data;

import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.image.RgbImage;
import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.serde.AvroSerde;
import io.clipstream.schemas.serde.RecordDecodingException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * {@link NormalizedPair} records to {@link StreamPair}s at the model's image size, and back (the trainer persists
 * the pairs a checkpoint depends on in the same record format the stream carries). Thread-safe.
 */
public final class PairCodec {

    private final AvroSerde<NormalizedPair> serde = AvroSerde.of(NormalizedPair.class);
    private final ClipImageTransform transform;

    /** A codec for a model whose images are {@code imageSize}² pixels. */
    public PairCodec(int imageSize) {
        this.transform = ClipImageTransform.openAi(imageSize);
    }

    public int imageSize() {
        return transform.size();
    }

    /** Reads one record value of the pairs topic. */
    public StreamPair decode(byte[] value) throws UndecodablePairException {
        if (value == null) {
            throw new UndecodablePairException("a tombstone (null value) is not a pair", null);
        }
        NormalizedPair record;
        try {
            record = serde.decode(value);
        } catch (RecordDecodingException e) {
            throw new UndecodablePairException(e.reason() + ": " + e.getMessage(), e);
        }
        return fromRecord(record);
    }

    public StreamPair fromRecord(NormalizedPair record) throws UndecodablePairException {
        if (record.getPairId() == null || record.getPairId().isEmpty()) {
            throw new UndecodablePairException("a pair without a pair id", null);
        }
        RgbImage image;
        try {
            image = new RgbImage(record.getWidth(), record.getHeight(), bytes(record.getPixels()));
        } catch (IllegalArgumentException e) {
            throw new UndecodablePairException("pair " + record.getPairId() + ": " + e.getMessage(), e);
        }
        if (image.width() != imageSize() || image.height() != imageSize()) {
            image = transform.resizeAndCrop(image);
        }
        return new StreamPair(record.getPairId(), record.getCaption(), record.getEventTime().toEpochMilli(), image,
                record.getAttributes());
    }

    /** The pair as a record, as it would have come from ingest at the model's image size. */
    public NormalizedPair toRecord(StreamPair pair) {
        byte[] pixels = pair.image().pixels();
        Instant eventTime = Instant.ofEpochMilli(pair.eventTimeMillis());
        return NormalizedPair.newBuilder()
                .setPairId(pair.pairId())
                .setWidth(pair.image().width())
                .setHeight(pair.image().height())
                .setPixels(ByteBuffer.wrap(pixels))
                .setCaption(pair.caption())
                .setContentHash(sha256(pixels))
                .setEventTime(eventTime)
                // The trainer does not know when ingest normalised it; the event time is the honest lower bound.
                .setNormalizedTime(eventTime)
                .setSource("trainer")
                .setAttributes(pair.attributes())
                .build();
    }

    public byte[] encode(StreamPair pair) {
        return serde.encode(toRecord(pair));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        if (view.hasArray() && view.arrayOffset() == 0 && view.position() == 0
                && view.remaining() == view.array().length) {
            return view.array();
        }
        byte[] copy = new byte[view.remaining()];
        view.get(copy);
        return copy;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
