package io.clipstream.classifier.labelset;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * One label as a client sends it: {@code "cat"}, or {@code {"name": "cat", "prompts": ["a photo of my cat"]}} when
 * the label brings its own prompts instead of the set's templates.
 */
public record LabelDraft(String name, List<String> prompts) {

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public LabelDraft(@JsonProperty("name") String name, @JsonProperty("prompts") List<String> prompts) {
        this.name = name;
        this.prompts = prompts == null ? List.of() : prompts;
    }

    /** The short form: just the name. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static LabelDraft named(String name) {
        return new LabelDraft(name, List.of());
    }
}
