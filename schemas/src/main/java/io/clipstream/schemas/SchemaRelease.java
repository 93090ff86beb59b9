package io.clipstream.schemas;

import io.clipstream.schemas.serde.SchemaHistory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Release tool: copies every current schema that is not yet in the history to {@code history/<Record>/vN.avsc}
 * and updates the index. Run it when a schema change ships:
 * {@code ./mvnw -q -pl schemas compile exec:java -Dexec.mainClass=io.clipstream.schemas.SchemaRelease}.
 */
public final class SchemaRelease {

    private SchemaRelease() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "src/main/resources/io/clipstream/schemas/history");
        Path index = root.resolve("index.txt");
        List<String> files = new ArrayList<>(Files.exists(index)
                ? Files.readAllLines(index).stream().filter(l -> !l.isBlank() && !l.startsWith("#")).toList()
                : List.of());
        for (Schema schema : SchemaHistory.CURRENT) {
            long fingerprint = SchemaHistory.fingerprint(schema);
            boolean released = false;
            for (String file : files) {
                if (file.startsWith(schema.getName() + "/")) {
                    Schema old = new Schema.Parser().parse(Files.readString(root.resolve(file)));
                    released |= SchemaHistory.fingerprint(old) == fingerprint;
                }
            }
            if (!released) {
                long count = files.stream().filter(f -> f.startsWith(schema.getName() + "/")).count();
                String file = schema.getName() + "/v" + (count + 1) + ".avsc";
                Files.createDirectories(root.resolve(schema.getName()));
                Files.writeString(root.resolve(file), schema.toString(true) + "\n", StandardCharsets.UTF_8);
                files.add(file);
                System.out.println("released " + file);
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add("# Released writer schemas, oldest first. Never edit or remove a line: old records need them.");
        lines.addAll(files);
        Files.write(index, lines, StandardCharsets.UTF_8);
    }
}
