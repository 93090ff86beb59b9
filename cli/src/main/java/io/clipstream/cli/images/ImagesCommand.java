package io.clipstream.cli.images;

import io.clipstream.cli.kafka.KafkaOptions;
import io.clipstream.cli.kafka.Progress;
import io.clipstream.schemas.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code clipstream images publish}: images to clipstream.images, for the embedder. */
@Command(name = "images", description = "Images to embed.", subcommands = ImagesCommand.Publish.class)
public final class ImagesCommand {

    @Command(name = "publish", mixinStandardHelpOptions = true,
            description = "Publish image files to " + Topics.IMAGES + " as raw bytes: key = the file name without "
                    + "extension (the image id), header content-type, and attr.<name> headers for --attribute.")
    public static final class Publish implements Callable<Integer> {

        /** Kafka's own record overhead beside the value. */
        private static final int RECORD_OVERHEAD = 64 * 1024;

        @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Image files, or folders of them.")
        List<Path> inputs;

        @Option(names = {"-a", "--attribute"}, paramLabel = "NAME=VALUE",
                description = "An attribute every image carries (repeatable); the embedder passes it through.")
        Map<String, String> attributes = new LinkedHashMap<>();

        @Mixin
        KafkaOptions kafka;

        @Override
        public Integer call() {
            List<Path> files;
            try {
                files = ImageFiles.collect(inputs);
            } catch (IOException e) {
                System.err.println("images publish: " + e.getMessage());
                return 2;
            }
            Progress progress = new Progress("images publish", files.size(), System.err);
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                    kafka.producerProperties("clipstream-cli-images"), new StringSerializer(), new ByteArraySerializer())) {
                for (Path file : files) {
                    byte[] image;
                    try {
                        image = Files.readAllBytes(file);
                    } catch (IOException e) {
                        progress.failed("cannot read " + file + ": " + e.getMessage());
                        continue;
                    }
                    if (image.length == 0) {
                        progress.failed("empty file: " + file);
                        continue;
                    }
                    if (image.length > Topics.MAX_MESSAGE_BYTES - RECORD_OVERHEAD) {
                        progress.failed("larger than the " + Topics.MAX_MESSAGE_BYTES / (1024 * 1024)
                                + " MiB a record of " + Topics.IMAGES + " may hold: " + file);
                        continue;
                    }
                    producer.send(record(file, image), (meta, error) -> {
                        if (error == null) {
                            progress.sent();
                        } else {
                            progress.failed("Kafka: " + error.getMessage());
                        }
                    });
                }
                producer.flush();
            }
            progress.finish();
            return progress.failedCount() == 0 ? 0 : 1;
        }

        private ProducerRecord<String, byte[]> record(Path file, byte[] image) {
            ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.IMAGES, ImageFiles.imageId(file), image);
            ImageFiles.contentType(file).ifPresent(type ->
                    record.headers().add("content-type", type.getBytes(StandardCharsets.UTF_8)));
            attributes.forEach((name, value) ->
                    record.headers().add("attr." + name, value.getBytes(StandardCharsets.UTF_8)));
            return record;
        }
    }
}
