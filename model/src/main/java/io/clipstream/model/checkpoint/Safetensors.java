package io.clipstream.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads and writes the Hugging Face safetensors format: an 8-byte little-endian header length, a
 * JSON header ({@code name → {dtype, shape, data_offsets}} and an optional string map
 * {@code __metadata__}), then the raw little-endian tensor bytes. Nothing in a file is ever
 * executed; the header is checked as the reference implementation checks it (tensors packed
 * back to back from offset 0 to the end of the file, sizes equal to shape × dtype).
 *
 * <p>Reading gives float32 arrays for F32, F16, BF16 and F64, INT64 for I64 and INT32 for I32.
 * Writing stores F32, I32 and I64 unchanged, so a save and a load are bit-identical.
 */
public final class Safetensors {

    /** The reference implementation's limit: larger headers are rejected before parsing. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;

    private static final String METADATA = "__metadata__";
    private static final int ALIGNMENT = 8;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private Safetensors() {
    }

    /** The element types the format names, with their sizes in bytes. */
    public enum Dtype {
        BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), I16(2), U16(2), F16(2), BF16(2),
        I32(4), U32(4), F32(4), I64(8), U64(8), F64(8);

        private final int bytes;

        Dtype(int bytes) {
            this.bytes = bytes;
        }

        public int bytes() {
            return bytes;
        }
    }

    /** One tensor's header entry; offsets are relative to the start of the data section. */
    public record TensorInfo(String name, Dtype dtype, Shape shape, long begin, long end) {

        public long byteSize() {
            return end - begin;
        }
    }

    /** A parsed, validated header. */
    public record Header(Map<String, TensorInfo> tensors, Map<String, String> metadata, long dataStart) {
    }

    /** Reads and validates the header only. */
    public static Header readHeader(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return readHeader(file, channel);
        }
    }

    /** Reads every tensor into {@code manager}, in file order. */
    public static Map<String, NDArray> read(Path file, NDManager manager) throws IOException {
        return read(file, manager, name -> true);
    }

    /** Reads the tensors whose names pass {@code include} into {@code manager}, in file order. */
    public static Map<String, NDArray> read(Path file, NDManager manager, Predicate<String> include)
            throws IOException {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = readHeader(file, channel);
            for (TensorInfo info : header.tensors().values()) {
                if (include.test(info.name())) {
                    tensors.put(info.name(), readTensor(file, channel, header.dataStart(), info, manager));
                }
            }
        } catch (IOException | RuntimeException e) {
            tensors.values().forEach(NDArray::close);
            throw e;
        }
        return tensors;
    }

    /**
     * Writes the tensors (F32, I32 or I64) in map order, with optional string metadata. The file is
     * written beside the target and moved into place, so readers never see a half-written file.
     */
    public static void write(Path file, Map<String, NDArray> tensors, Map<String, String> metadata)
            throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
            String name = entry.getKey();
            NDArray array = entry.getValue();
            if (METADATA.equals(name)) {
                throw new SafetensorsException(file, "a tensor cannot be named " + METADATA);
            }
            Dtype dtype = dtypeOf(file, name, array.getDataType());
            long bytes = Math.multiplyExact(array.getShape().size(), dtype.bytes());
            ObjectNode node = header.putObject(name);
            node.put("dtype", dtype.name());
            ArrayNode shape = node.putArray("shape");
            for (long dim : array.getShape().getShape()) {
                shape.add(dim);
            }
            node.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        // Pad with spaces so the data starts 8-byte aligned, as the reference writer does.
        int padded = (int) (((8L + json.length + ALIGNMENT - 1) / ALIGNMENT) * ALIGNMENT - 8);
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();

        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(out, head);
                for (NDArray array : tensors.values()) {
                    writeFully(out, littleEndianBytes(array));
                }
                out.force(true);
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Header readHeader(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw new SafetensorsException(file,
                    "too short for a safetensors file (" + fileSize + " bytes, the header length alone is 8)");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0, file);
        long headerLength = lengthBytes.flip().getLong();
        if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > fileSize - 8) {
            throw new SafetensorsException(file, "corrupt header: declared header length " + headerLength
                    + " does not fit a file of " + fileSize + " bytes (limit " + MAX_HEADER_BYTES + ")");
        }
        ByteBuffer headerBytes = ByteBuffer.allocate((int) headerLength);
        readFully(channel, headerBytes, 8, file);
        long dataStart = 8 + headerLength;
        return parseHeader(file, headerBytes.array(), fileSize - dataStart, dataStart);
    }

    private static Header parseHeader(Path file, byte[] bytes, long dataSize, long dataStart)
            throws SafetensorsException {
        if (bytes[0] != '{') {
            throw new SafetensorsException(file, "corrupt header: it does not start with a JSON object");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SafetensorsException(file, "corrupt header: not valid UTF-8", e);
        }
        JsonNode root;
        try (JsonParser parser = JSON.createParser(text)) {
            root = JSON.readTree(parser);
            if (parser.nextToken() != null) {
                throw new SafetensorsException(file, "corrupt header: text after the JSON object");
            }
        } catch (IOException e) {
            if (e instanceof SafetensorsException se) {
                throw se;
            }
            throw new SafetensorsException(file, "corrupt header: not valid JSON (" + e.getMessage()
                    .lines().findFirst().orElse("") + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsException(file, "corrupt header: not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<TensorInfo> tensors = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (METADATA.equals(field.getKey())) {
                parseMetadata(file, field.getValue(), metadata);
            } else {
                tensors.add(parseTensor(file, field.getKey(), field.getValue()));
            }
        }
        // The reference implementation's rule: tensors packed back to back, covering all data.
        List<TensorInfo> byOffset = new ArrayList<>(tensors);
        byOffset.sort(Comparator.comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
        long expectedBegin = 0;
        for (TensorInfo info : byOffset) {
            if (info.begin() != expectedBegin) {
                throw new SafetensorsException(file, "corrupt header: tensor '" + info.name()
                        + "' starts at data offset " + info.begin() + ", expected " + expectedBegin
                        + " (tensors overlap or leave gaps)");
            }
            expectedBegin = info.end();
        }
        if (expectedBegin != dataSize) {
            throw new SafetensorsException(file, "truncated or padded data: the header describes "
                    + expectedBegin + " bytes of tensor data, the file holds " + dataSize);
        }
        Map<String, TensorInfo> inFileOrder = new LinkedHashMap<>();
        byOffset.forEach(info -> inFileOrder.put(info.name(), info));
        return new Header(Collections.unmodifiableMap(inFileOrder),
                Collections.unmodifiableMap(metadata), dataStart);
    }

    private static void parseMetadata(Path file, JsonNode node, Map<String, String> out)
            throws SafetensorsException {
        if (!node.isObject()) {
            throw new SafetensorsException(file, "corrupt header: " + METADATA + " must be an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isTextual()) {
                throw new SafetensorsException(file, "corrupt header: " + METADATA + "." + entry.getKey()
                        + " must be a string");
            }
            out.put(entry.getKey(), entry.getValue().asText());
        }
    }

    private static TensorInfo parseTensor(Path file, String name, JsonNode node)
            throws SafetensorsException {
        String where = "corrupt header: tensor '" + name + "' ";
        if (!node.isObject()) {
            throw new SafetensorsException(file, where + "is not an object");
        }
        JsonNode dtypeNode = node.get("dtype");
        if (dtypeNode == null || !dtypeNode.isTextual()) {
            throw new SafetensorsException(file, where + "has no dtype");
        }
        Dtype dtype;
        try {
            dtype = Dtype.valueOf(dtypeNode.asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SafetensorsException(file, where + "has unknown dtype " + dtypeNode.asText());
        }
        long[] dims = nonNegativeLongs(file, where + "shape", node.get("shape"), -1);
        long[] offsets = nonNegativeLongs(file, where + "data_offsets", node.get("data_offsets"), 2);
        if (offsets[1] < offsets[0]) {
            throw new SafetensorsException(file, where + "ends (" + offsets[1] + ") before it begins ("
                    + offsets[0] + ")");
        }
        long bytes;
        try {
            long elements = 1;
            for (long dim : dims) {
                elements = Math.multiplyExact(elements, dim);
            }
            bytes = Math.multiplyExact(elements, dtype.bytes());
        } catch (ArithmeticException e) {
            throw new SafetensorsException(file, where + "has an impossibly large shape");
        }
        if (offsets[1] - offsets[0] != bytes) {
            throw new SafetensorsException(file, where + "spans " + (offsets[1] - offsets[0])
                    + " bytes, but " + dtype + " " + new Shape(dims) + " needs " + bytes);
        }
        return new TensorInfo(name, dtype, new Shape(dims), offsets[0], offsets[1]);
    }

    private static long[] nonNegativeLongs(Path file, String what, JsonNode node, int length)
            throws SafetensorsException {
        if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
            throw new SafetensorsException(file, what + " must be an array"
                    + (length >= 0 ? " of " + length + " integers" : " of integers"));
        }
        long[] values = new long[node.size()];
        for (int i = 0; i < values.length; i++) {
            JsonNode value = node.get(i);
            if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
                throw new SafetensorsException(file, what + " holds " + value + ", not a non-negative integer");
            }
            values[i] = value.asLong();
        }
        return values;
    }

    private static NDArray readTensor(Path file, FileChannel channel, long dataStart, TensorInfo info,
            NDManager manager) throws IOException {
        if (info.byteSize() > Integer.MAX_VALUE) {
            throw new SafetensorsException(file, "tensor '" + info.name() + "' is larger than 2 GiB");
        }
        ByteBuffer raw = ByteBuffer.allocateDirect((int) info.byteSize()).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, raw, dataStart + info.begin(), file);
        raw.flip();
        Shape shape = info.shape();
        return switch (info.dtype()) {
            case F32 -> manager.create(nativeOrder(raw), shape, DataType.FLOAT32);
            case I32 -> manager.create(nativeOrder(raw), shape, DataType.INT32);
            case I64 -> manager.create(nativeOrder(raw), shape, DataType.INT64);
            case F16 -> manager.create(halfToFloat(raw), shape);
            case BF16 -> manager.create(bfloat16ToFloat(raw), shape);
            case F64 -> manager.create(doubleToFloat(raw), shape);
            default -> throw new SafetensorsException(file, "tensor '" + info.name() + "' has dtype "
                    + info.dtype() + "; readable are F32, F16, BF16, F64, I32 and I64");
        };
    }

    /** Little-endian bytes as the platform's order, which DJL's buffers assume. */
    private static ByteBuffer nativeOrder(ByteBuffer littleEndian) {
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
            return littleEndian.order(ByteOrder.LITTLE_ENDIAN);
        }
        throw new UnsupportedOperationException("Big-endian platforms are not supported");
    }

    private static float[] halfToFloat(ByteBuffer raw) {
        float[] out = new float[raw.remaining() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = Float.float16ToFloat(raw.getShort());
        }
        return out;
    }

    private static float[] bfloat16ToFloat(ByteBuffer raw) {
        float[] out = new float[raw.remaining() / 2];
        for (int i = 0; i < out.length; i++) {
            // bfloat16 is the upper half of a float32
            out[i] = Float.intBitsToFloat((raw.getShort() & 0xFFFF) << 16);
        }
        return out;
    }

    private static float[] doubleToFloat(ByteBuffer raw) {
        float[] out = new float[raw.remaining() / 8];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) raw.getDouble();
        }
        return out;
    }

    private static Dtype dtypeOf(Path file, String name, DataType type) throws SafetensorsException {
        return switch (type) {
            case FLOAT32 -> Dtype.F32;
            case INT32 -> Dtype.I32;
            case INT64 -> Dtype.I64;
            default -> throw new SafetensorsException(file, "tensor '" + name + "' is " + type
                    + "; writable are FLOAT32, INT32 and INT64");
        };
    }

    private static ByteBuffer littleEndianBytes(NDArray array) {
        // DJL hands out the tensor's bytes in the platform's order.
        return nativeOrder(array.toByteBuffer().rewind());
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position, Path file)
            throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new SafetensorsException(file, "truncated: unexpected end of file at byte " + at);
            }
            at += read;
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
