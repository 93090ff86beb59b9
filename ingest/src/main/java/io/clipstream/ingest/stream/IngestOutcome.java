package io.clipstream.ingest.stream;

import io.clipstream.schemas.NormalizedPair;
import io.clipstream.schemas.Rejected;

/** What ingest writes for one input: a normalised pair or a rejection (a duplicate is one, too). */
sealed interface IngestOutcome {

    record ToNormalized(NormalizedPair pair) implements IngestOutcome {
    }

    record ToRejected(Rejected rejected) implements IngestOutcome {
    }
}
