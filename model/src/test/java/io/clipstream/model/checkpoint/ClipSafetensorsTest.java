package io.clipstream.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.clipstream.model.Fixtures;
import io.clipstream.model.engine.Engines;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

class ClipSafetensorsTest {

    private static NDManager manager;

    @TempDir
    Path dir;

    @BeforeAll
    static void open() {
        manager = Engines.newManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void saveThenLoadIsBitIdentical() throws IOException {
        Random random = new Random(3);
        float[] awkward = new float[1000];
        for (int i = 0; i < awkward.length; i++) {
            awkward[i] = Float.intBitsToFloat(random.nextInt()); // includes NaN payloads, ±0, subnormals
        }
        awkward[0] = -0.0f;
        awkward[1] = Float.MIN_VALUE;
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("weights", manager.create(awkward, new Shape(10, 100)));
        tensors.put("scalar", manager.create(2.5f));
        tensors.put("empty", manager.create(new float[0], new Shape(0, 4)));
        tensors.put("ids", manager.create(new long[] {Long.MIN_VALUE, -1, 0, 49407, Long.MAX_VALUE}));
        tensors.put("counts", manager.create(new int[] {Integer.MIN_VALUE, 7}));
        Path file = dir.resolve("t.safetensors");
        Safetensors.write(file, tensors, Map.of("format", "pt"));

        Map<String, NDArray> loaded = Safetensors.read(file, manager);
        assertEquals(tensors.keySet(), loaded.keySet());
        for (String name : tensors.keySet()) {
            NDArray expected = tensors.get(name);
            NDArray actual = loaded.get(name);
            assertEquals(expected.getShape(), actual.getShape(), name);
            assertEquals(expected.getDataType(), actual.getDataType(), name);
            assertArrayEquals(bytes(expected), bytes(actual), name);
        }
        assertEquals(Map.of("format", "pt"), Safetensors.readHeader(file).metadata());

        Path again = dir.resolve("again.safetensors");
        Safetensors.write(again, loaded, Map.of("format", "pt"));
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again), "the file itself round-trips");
    }

    @Test
    void stridedViewsAreWrittenInLogicalOrder() throws IOException {
        NDArray matrix = manager.arange(6f).reshape(2, 3);
        Path file = dir.resolve("views.safetensors");
        Safetensors.write(file, Map.of("t", matrix.transpose(), "s", matrix.get(":, 1:")), Map.of());
        Map<String, NDArray> loaded = Safetensors.read(file, manager);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, loaded.get("t").toFloatArray());
        assertArrayEquals(new float[] {1, 2, 4, 5}, loaded.get("s").toFloatArray());
    }

    @Test
    void headerIsPaddedSoDataStartsAligned() throws IOException {
        Path file = dir.resolve("a.safetensors");
        Safetensors.write(file, Map.of("x", manager.create(new float[] {1, 2, 3})), Map.of());
        Safetensors.Header header = Safetensors.readHeader(file);
        assertEquals(0, header.dataStart() % 8);
        assertEquals(header.dataStart() + 12, Files.size(file));
    }

    @Test
    void readsTheFixtureHeaders() throws IOException {
        Safetensors.Header openAi = Safetensors.readHeader(Fixtures.resolve("clip-tiny/openai.safetensors"));
        assertEquals(62, openAi.tensors().size());
        assertEquals(new Shape(384, 128),
                openAi.tensors().get("visual.transformer.resblocks.0.attn.in_proj_weight").shape());
        assertEquals(Safetensors.Dtype.F32, openAi.tensors().get("logit_scale").dtype());
        assertEquals(new Shape(), openAi.tensors().get("logit_scale").shape());
        assertEquals("pt", openAi.metadata().get("format"));
    }

    @Test
    void convertsHalfBfloatAndDoubleToFloat32() throws IOException {
        // 1.5, -2, 65504 (largest half), 2^-24 (smallest half subnormal)
        ByteBuffer half = le(8).putShort((short) 0x3E00).putShort((short) 0xC000).putShort((short) 0x7BFF)
                .putShort((short) 0x0001);
        ByteBuffer bfloat = le(4).putShort((short) 0x3FC0).putShort((short) 0xC2F7); // 1.5, -123.5
        ByteBuffer dbl = le(16).putDouble(Math.PI).putDouble(-1e-3);
        Path file = handMade("{\"h\":{\"dtype\":\"F16\",\"shape\":[2,2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[8,12]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[12,28]}}", half, bfloat, dbl);
        Map<String, NDArray> t = Safetensors.read(file, manager);
        assertArrayEquals(new float[] {1.5f, -2f, 65504f, (float) Math.pow(2, -24)}, t.get("h").toFloatArray());
        assertEquals(DataType.FLOAT32, t.get("b").getDataType());
        assertArrayEquals(new float[] {1.5f, -123.5f}, t.get("b").toFloatArray());
        assertArrayEquals(new float[] {(float) Math.PI, -1e-3f}, t.get("d").toFloatArray());
    }

    @Test
    void rejectsCorruptHeaders() throws IOException {
        ByteBuffer four = le(4).putFloat(1f);
        assertRejected(handMade("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]", four),
                "not valid JSON");
        assertRejected(handMade("[1, 2]", four), "does not start with a JSON object");
        assertRejected(handMade("{\"x\":{\"dtype\":\"F17\",\"shape\":[1],\"data_offsets\":[0,4]}}", four),
                "unknown dtype F17");
        assertRejected(handMade("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", four),
                "needs 8");
        assertRejected(handMade("{\"x\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", four),
                "not a non-negative integer");
        assertRejected(handMade("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"y\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", four), "overlap");
        assertRejected(handMade("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", four), "Duplicate field");
        assertRejected(handMade("{\"__metadata__\":{\"n\":1},"
                + "\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", four), "must be a string");

        Path hugeLength = dir.resolve("huge.safetensors");
        Files.write(hugeLength, le(16).putLong(1L << 40).putLong(0).array());
        assertRejected(hugeLength, "declared header length 1099511627776");
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertRejected(tiny, "too short");
    }

    @Test
    void rejectsTruncatedAndPaddedFiles() throws IOException {
        Path file = dir.resolve("w.safetensors");
        Safetensors.write(file, Map.of("w", manager.randomNormal(new Shape(16, 16))), Map.of());
        byte[] whole = Files.readAllBytes(file);
        Path truncated = dir.resolve("truncated.safetensors");
        Files.write(truncated, Arrays.copyOf(whole, whole.length - 10));
        assertRejected(truncated, "describes 1024 bytes of tensor data, the file holds 1014");
        Path padded = dir.resolve("padded.safetensors");
        Files.write(padded, Arrays.copyOf(whole, whole.length + 4));
        assertRejected(padded, "the file holds 1028");
    }

    @Test
    void writesOnlyLosslessTypes() {
        NDArray half = manager.ones(new Shape(2), DataType.FLOAT16);
        SafetensorsException e = assertThrows(SafetensorsException.class,
                () -> Safetensors.write(dir.resolve("h.safetensors"), Map.of("h", half), Map.of()));
        assertTrue(e.getMessage().contains("writable are FLOAT32, INT32 and INT64"), e.getMessage());
    }

    private void assertRejected(Path file, String expectedMessagePart) {
        SafetensorsException e = assertThrows(SafetensorsException.class, () -> Safetensors.read(file, manager));
        assertTrue(e.getMessage().contains(expectedMessagePart), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), "names the file: " + e.getMessage());
    }

    private Path handMade(String header, ByteBuffer... data) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        int dataBytes = Arrays.stream(data).mapToInt(ByteBuffer::capacity).sum();
        ByteBuffer file = le(8 + json.length + dataBytes).putLong(json.length).put(json);
        for (ByteBuffer part : data) {
            file.put(part.array());
        }
        Path path = Files.createTempFile(dir, "hand", ".safetensors");
        Files.write(path, file.array());
        return path;
    }

    private static ByteBuffer le(int capacity) {
        return ByteBuffer.allocate(capacity).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] bytes(NDArray array) {
        ByteBuffer buffer = array.toByteBuffer();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }
}
