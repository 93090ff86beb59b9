package io.clipstream.schemas.serde;

import io.clipstream.schemas.Checkpoint;
import io.clipstream.schemas.Classification;
import io.clipstream.schemas.ImageEmbedding;
import io.clipstream.schemas.ImageEvent;
import io.clipstream.schemas.ImageTextPair;
import io.clipstream.schemas.LabelSet;
import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.Rejected;

/** Ready serdes for every record of the platform, reading all released schema versions. */
public final class ClipSerdes {

    private ClipSerdes() {
    }

    public static AvroSerde<ImageTextPair> imageTextPair() {
        return AvroSerde.of(ImageTextPair.class);
    }

    public static AvroSerde<NormalizedPair> normalizedPair() {
        return AvroSerde.of(NormalizedPair.class);
    }

    public static AvroSerde<Rejected> rejected() {
        return AvroSerde.of(Rejected.class);
    }

    public static AvroSerde<ImageEvent> imageEvent() {
        return AvroSerde.of(ImageEvent.class);
    }

    public static AvroSerde<ImageEmbedding> imageEmbedding() {
        return AvroSerde.of(ImageEmbedding.class);
    }

    public static AvroSerde<LabelSet> labelSet() {
        return AvroSerde.of(LabelSet.class);
    }

    public static AvroSerde<Classification> classification() {
        return AvroSerde.of(Classification.class);
    }

    public static AvroSerde<Checkpoint> checkpoint() {
        return AvroSerde.of(Checkpoint.class);
    }
}
