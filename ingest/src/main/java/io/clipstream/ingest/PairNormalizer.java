package io.clipstream.ingest;

import io.clipstream.model.image.ClipImageTransform;
import io.clipstream.model.image.DecodeBudget;
import io.clipstream.model.image.InvalidImageException;
import io.clipstream.model.image.RgbImage;
import io.clipstream.schemas.AttributeLimits;
import io.clipstream.schemas.ImageTextPair;
import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.RejectReason;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Turns one raw pair into a training-ready pair: decoded (header-checked first, EXIF applied), RGB, shorter side
 * resized and centre-cropped to the training size, pixels kept as bytes; caption cleaned; content hashed.
 */
public final class PairNormalizer {

    /** The result for one pair. */
    public sealed interface Outcome {
    }

    public record Normalized(NormalizedPair pair) implements Outcome {
    }

    public record Invalid(RejectReason reason, String message) implements Outcome {
    }

    private final ClipImageTransform transform;
    private final CaptionCleaner captions;
    private final Clock clock;
    private final DecodeBudget decodeBudget;

    /** A normaliser whose decodes are bounded by nothing but the image limits. */
    public PairNormalizer(ClipImageTransform transform, CaptionCleaner captions, Clock clock) {
        this(transform, captions, clock, DecodeBudget.unlimited());
    }

    /**
     * @param transform    the training-size transform, with the decoder (and its limits) it decodes with
     * @param decodeBudget what decoding waits for (its declared cost, from the header), shared by the stream threads
     */
    public PairNormalizer(ClipImageTransform transform, CaptionCleaner captions, Clock clock, DecodeBudget decodeBudget) {
        this.transform = transform;
        this.captions = captions;
        this.clock = clock;
        this.decodeBudget = decodeBudget;
    }

    public Outcome normalize(ImageTextPair raw) {
        if (raw.getPairId() == null || raw.getPairId().isBlank()) {
            return new Invalid(RejectReason.INVALID_RECORD, "pairId is empty");
        }
        Optional<String> attributes = AttributeLimits.DEFAULT.violation(raw.getAttributes());
        if (attributes.isPresent()) {
            return new Invalid(RejectReason.INVALID_RECORD, attributes.get());
        }
        CaptionCleaner.Result caption = captions.clean(raw.getCaption());
        if (caption instanceof CaptionCleaner.Invalid invalid) {
            return new Invalid(invalid.reason(), invalid.message());
        }
        CaptionCleaner.Clean clean = (CaptionCleaner.Clean) caption;
        RgbImage image;
        try {
            image = transform.preprocess(bytes(raw.getImage()), decodeBudget);
        } catch (InvalidImageException e) {
            return new Invalid(e.reason(), e.getMessage());
        } catch (InterruptedException e) {
            // The stream thread is being stopped: the record is not processed, so not committed, and is read again.
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for decode budget", e);
        }
        return new Normalized(NormalizedPair.newBuilder()
                .setPairId(raw.getPairId())
                .setWidth(image.width())
                .setHeight(image.height())
                .setPixels(ByteBuffer.wrap(image.pixels()))
                .setCaption(clean.caption())
                .setCaptionTruncated(clean.truncated())
                .setContentHash(sha256(image.pixels()))
                .setEventTime(raw.getEventTime())
                .setNormalizedTime(clock.instant())
                .setSource(raw.getSource())
                .setAttributes(raw.getAttributes())
                .build());
    }

    /** Hex SHA-256, the content hash of normalised pixels. */
    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer view = buffer.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        return bytes;
    }
}
