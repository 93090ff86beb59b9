package io.clipstream.schemas.stream;

import io.clipstream.schemas.Rejected;
import io.clipstream.schemas.serde.AvroSerde;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/** The end of a stream step: results go on, rejections to their {@code *.rejected} topic. */
public final class Outcomes {

    private Outcomes() {
    }

    /**
     * Splits {@code outcomes} in two branches named {@code name + resultBranch} and {@code name + rejectedBranch}.
     *
     * @param results what becomes of the results (unwrapped)
     * @param rejectedTopic where the rejections are written
     */
    public static <T> void route(KStream<String, Outcome<T>> outcomes, String name, String resultBranch,
            Consumer<KStream<String, T>> results, String rejectedBranch, String rejectedTopic) {
        outcomes.split(Named.as(name))
                .branch((id, outcome) -> outcome instanceof Outcome.Result<T>, Branched.withConsumer(result ->
                        results.accept(result.mapValues(outcome -> ((Outcome.Result<T>) outcome).value())),
                        resultBranch))
                .defaultBranch(Branched.withConsumer(rejected -> rejected
                        .mapValues(outcome -> ((Outcome.Rejection<T>) outcome).rejected())
                        .to(rejectedTopic, Produced.with(Serdes.String(), AvroSerde.of(Rejected.class))),
                        rejectedBranch));
    }
}
