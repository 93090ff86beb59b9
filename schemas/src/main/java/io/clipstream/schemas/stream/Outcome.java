package io.clipstream.schemas.stream;

import io.clipstream.schemas.Rejected;

/**
 * What a stream step writes for one input: its result, or a rejection that says why ({@link Outcomes#route} sends
 * each to its topic, so that nothing is lost).
 *
 * @param <T> the result's record
 */
public sealed interface Outcome<T> {

    static <T> Outcome<T> result(T value) {
        return new Result<>(value);
    }

    static <T> Outcome<T> rejected(Rejected rejected) {
        return new Rejection<>(rejected);
    }

    record Result<T>(T value) implements Outcome<T> {
    }

    record Rejection<T>(Rejected rejected) implements Outcome<T> {
    }
}
