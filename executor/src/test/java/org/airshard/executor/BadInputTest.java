package org.airshard.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.DType;
import org.airshard.executor.model.GgufWriter;
import org.airshard.executor.runtime.PipelineRunner;
import org.airshard.executor.runtime.RuntimeOptions;
import org.airshard.executor.shard.ShardSpec;
import org.airshard.planner.io.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broken checkpoints and shard specs fail with one clear {@link InputException}, never a crash. */
class BadInputTest {

    @TempDir
    Path tmp;

    private String openFails(Path p) {
        InputException e = assertThrows(InputException.class, () -> Checkpoint.open(p).close());
        String msg = e.getMessage();
        assertFalse(msg.contains("\n"), "one line: " + msg);
        return msg;
    }

    @Test
    void missingFiles() throws Exception {
        assertTrue(openFails(tmp.resolve("nope")).contains("not found"));
        Files.createDirectories(tmp.resolve("empty"));
        assertTrue(openFails(tmp.resolve("empty")).contains("no config.json"));
        Path hf = TestModels.hf(tmp, TestModels.tiny(), DType.F32);
        Files.delete(hf.resolve("model.safetensors"));
        assertTrue(openFails(hf).contains("no model.safetensors"));
    }

    @Test
    void corruptAndTruncatedFiles() throws Exception {
        Path hf = TestModels.hf(tmp, TestModels.tiny(), DType.F32);
        Path st = hf.resolve("model.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(st.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        String m = openFails(hf);
        assertTrue(m.contains("truncated"), m);
        Files.write(st, new byte[] {(byte) 0xff, 0x7f, 0, 0, 0, 0, 0, 0, 1, 2});
        assertTrue(openFails(hf).contains("corrupt safetensors header"));
        Files.writeString(hf.resolve("config.json"), "{ not json");
        assertTrue(openFails(hf).contains("not valid JSON"));

        Path gguf = TestModels.gguf(tmp, TestModels.tiny(), DType.F32);
        try (RandomAccessFile f = new RandomAccessFile(gguf.toFile(), "rw")) {
            f.setLength(f.length() - 1000);
        }
        assertTrue(openFails(gguf).contains("truncated"));
        Files.write(gguf, "GGML nonsense".getBytes(StandardCharsets.US_ASCII));
        assertTrue(openFails(gguf).contains("not a GGUF file"));
    }

    @Test
    void unsupportedDtypesAndArchitectures() throws Exception {
        Path hf = TestModels.hf(tmp, TestModels.tiny(), DType.F32);
        String header = "{\"model.embed_tokens.weight\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[0,2]}}";
        ByteBuffer b = ByteBuffer.allocate(8 + header.length() + 2).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(header.length()).put(header.getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 2);
        Files.write(hf.resolve("model.safetensors"), b.array());
        String m = openFails(hf);
        assertTrue(m.contains("unsupported dtype I8"), m);

        Path hf2 = tmp.resolve("hf2");
        org.airshard.executor.model.SyntheticCheckpoint.write(TestModels.tiny(), 1,
                org.airshard.executor.model.SyntheticCheckpoint.Format.HF, DType.F32, hf2, 1);
        Files.writeString(hf2.resolve("config.json"), Files.readString(hf2.resolve("config.json"))
                .replace("\"llama\"", "\"gpt_neox\""));
        assertTrue(openFails(hf2).contains("unsupported architecture 'gpt_neox'"));

        Path q4k = tmp.resolve("q4k.gguf");
        new GgufWriter().put("general.architecture", "llama").put("llama.embedding_length", 32)
                .put("llama.block_count", 1).put("llama.attention.head_count", 4).put("llama.feed_forward_length", 64)
                .tensorRaw("token_embd.weight", new long[] {256, 4}, 12, new byte[4 * 144])
                .write(q4k);
        m = openFails(q4k);
        assertTrue(m.contains("unsupported tensor type Q4_K"), m);
    }

    @Test
    void shapeMismatchBetweenConfigAndTensors() throws Exception {
        Path hf = TestModels.hf(tmp, TestModels.tiny(), DType.F32);
        Files.writeString(hf.resolve("config.json"), Files.readString(hf.resolve("config.json"))
                .replace("\"intermediate_size\" : 192", "\"intermediate_size\" : 100"));
        String m = openFails(hf);
        assertTrue(m.contains("model.layers.0.mlp.gate_proj.weight") && m.contains("does not match the config [100, 64]"), m);
    }

    @Test
    void badShardSpecs() throws Exception {
        Path hf = TestModels.hf(tmp, TestModels.tiny(), DType.F32);
        try (Checkpoint ck = Checkpoint.open(hf)) {
            InputException e = assertThrows(InputException.class, () -> new PipelineRunner(ck,
                    List.of(ShardSpec.stage(ck.config(), 0, 2, true, false), ShardSpec.stage(ck.config(), 3, 5, false, true)),
                    RuntimeOptions.defaults()));
            assertTrue(e.getMessage().contains("cover the layers in order"), e.getMessage());
            e = assertThrows(InputException.class, () -> new ShardSpec(0, 9, 0, 4, 0, 192, true, true).validate(ck.config()));
            assertEquals("shard: layers: layer range [0, 9) outside the model's 5 layers", e.getMessage());
        }
    }
}
