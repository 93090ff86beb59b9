package io.clipstream.model.text;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The merges file format of OpenAI's {@code bpe_simple_vocab_16e6.txt.gz} and Hugging Face's
 * {@code merges.txt}: one header line ({@code #version: ...}), then one {@code left right} merge per line,
 * best first. Read gzipped or plain (by content); written gzipped when the name ends in {@code .gz}.
 */
public final class MergesFile {

    public static final String HEADER = "#version: 0.2";

    private MergesFile() {
    }

    /** Up to {@code limit} merges, in rank order, after the {@code #version} header line; blank lines are ignored. */
    public static List<Merge> read(Path path, int limit) throws IOException {
        List<Merge> merges = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(open(path), StandardCharsets.UTF_8))) {
            int lineNumber = 0;
            for (String line = reader.readLine(); line != null && merges.size() < limit; line = reader.readLine()) {
                lineNumber++;
                // OpenAI's header is '"bpe_simple_vocab_16e6.txt#version: 0.2', Hugging Face's '#version: 0.2'.
                boolean header = lineNumber == 1 && line.contains("#version");
                if (!header && !line.isBlank()) {
                    merges.add(parse(path, lineNumber, line));
                }
            }
        }
        return merges;
    }

    /** One merge, or an error naming the file and line (not the line itself: a wrong file may be binary). */
    private static Merge parse(Path path, int lineNumber, String line) {
        try {
            return Merge.parse(line);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + " line " + lineNumber + " is not a merge (\"left right\"):"
                    + " is it a merges file such as bpe_simple_vocab_16e6.txt.gz?", e);
        }
    }

    public static void write(Path path, List<Merge> merges) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream raw = Files.newOutputStream(path)) {
            write(raw, merges, path.getFileName().toString().endsWith(".gz"));
        }
    }

    /** Writes merges to a stream (left open), gzipped or plain. */
    public static void write(OutputStream target, List<Merge> merges, boolean gzip) throws IOException {
        OutputStream out = gzip ? new GZIPOutputStream(new NonClosing(target)) : new NonClosing(target);
        try (Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
            writer.write(HEADER);
            writer.write('\n');
            for (Merge merge : merges) {
                writer.write(merge.toString());
                writer.write('\n');
            }
        }
    }

    /** Lets a writer finish (and a gzip trailer be written) without closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    private static InputStream open(Path path) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(path));
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        boolean gzip = b1 == 0x1F && b2 == 0x8B;
        return gzip ? new GZIPInputStream(in) : in;
    }
}
