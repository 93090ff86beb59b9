package io.clipstream.model.engine;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Tiny TorchScript modules whose source is written in this code base (never read from outside), compiled by libtorch
 * when loaded: the way to reach PyTorch ops DJL 0.35.1 does not wrap (bf16 casts, fused optimiser kernels, lists of
 * tensors) without native code of our own. Each module has no parameters or buffers, only its {@code forward}.
 */
public final class TorchScript {

    private TorchScript() {
    }

    /**
     * Compiles {@code def forward(self, <parameters>) -> <returnType>:} with {@code body} (one statement a line),
     * owned by {@code owner}.
     *
     * @param parameters TorchScript-typed parameters after {@code self}, e.g. {@code x: Tensor, lr: float}
     */
    public static PtSymbolBlock module(NDManager owner, String parameters, String returnType, String... body) {
        StringBuilder code = new StringBuilder()
                .append("class Op(Module):\n")
                .append("  __parameters__ = []\n")
                .append("  __buffers__ = []\n")
                .append("  training : bool\n")
                .append("  def forward(self: __torch__.Op, ").append(parameters).append(") -> ").append(returnType)
                .append(":\n");
        for (String line : body) {
            code.append("    ").append(line).append('\n');
        }
        try {
            return JniUtils.loadModule((PtNDManager) owner, new ByteArrayInputStream(archive(code.toString())), false,
                    false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A TorchScript archive: the module's source, and its pickled instance {@code __torch__.Op(training=False)}. */
    private static byte[] archive(String code) throws IOException {
        ByteArrayOutputStream pickle = new ByteArrayOutputStream();
        pickle.write(new byte[] {(byte) 0x80, 2}); // PROTO 2
        pickle.write("c__torch__\nOp\n".getBytes(StandardCharsets.US_ASCII)); // GLOBAL
        pickle.write(new byte[] {')', (byte) 0x81, '}', '(', 'X', 8, 0, 0, 0}); // () NEWOBJ {} MARK str
        pickle.write("training".getBytes(StandardCharsets.US_ASCII));
        pickle.write(new byte[] {(byte) 0x89, 'u', 'b', '.'}); // False SETITEMS BUILD STOP

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            put(zip, "op/version", "6\n".getBytes(StandardCharsets.US_ASCII));
            put(zip, "op/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            put(zip, "op/code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
            put(zip, "op/data.pkl", pickle.toByteArray());
            put(zip, "op/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
        }
        return bytes.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED); // libtorch reads stored entries without inflating
        entry.setSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        entry.setCrc(crc.getValue());
        zip.putNextEntry(entry);
        zip.write(data);
        zip.closeEntry();
    }
}
