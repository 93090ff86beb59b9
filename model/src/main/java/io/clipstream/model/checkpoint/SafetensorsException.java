package io.clipstream.model.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** A file that is not valid safetensors, or a tensor that cannot be read or written as asked. */
public final class SafetensorsException extends IOException {

    public SafetensorsException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public SafetensorsException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
