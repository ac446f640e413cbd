package org.airshard.executor.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.airshard.planner.io.InputException;

/**
 * A {@code tokenizer.json} tokenizer: encoding by Hugging Face's own Rust implementation (DJL JNI binding,
 * loaded offline from the local file), decoding token by token from the vocabulary in the same file
 * (byte-level or SentencePiece-with-byte-fallback pieces), so it can stream.
 */
public final class HfTokenizer implements Tokenizer {

    private final HuggingFaceTokenizer hf;
    private final byte[][] bytes;
    private final int bos;
    private final List<Integer> eos;
    private final boolean strip;

    private HfTokenizer(HuggingFaceTokenizer hf, byte[][] bytes, int bos, List<Integer> eos, boolean strip) {
        this.hf = hf;
        this.bytes = bytes;
        this.bos = bos;
        this.eos = List.copyOf(eos);
        this.strip = strip;
    }

    /**
     * Loads {@code tokenizer.json}. {@code bos}/{@code eos} come from the model config (-1 / empty to look them
     * up by the usual names).
     */
    public static HfTokenizer load(Path file, int bos, List<Integer> eos) throws InputException {
        if (!Files.isRegularFile(file)) {
            throw new InputException(file.toString(), "", "tokenizer file not found");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new InputException(file.toString(), "", "not valid JSON");
        }
        JsonNode model = root.path("model");
        if (!"BPE".equals(model.path("type").asText("BPE")) || !model.path("vocab").isObject()) {
            throw new InputException(file.toString(), "$.model", "unsupported tokenizer model (BPE expected)");
        }
        String decoderText = root.path("decoder").toString();
        boolean byteLevel = decoderText.contains("\"ByteLevel\"");
        boolean byteFallback = model.path("byte_fallback").asBoolean(false);
        boolean strip = !byteLevel && (decoderText.contains("\"Strip\"")
                || decoderText.contains("\"Metaspace\"") && !decoderText.contains("\"never\""));
        int max = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = model.path("vocab").fields(); it.hasNext(); ) {
            max = Math.max(max, it.next().getValue().asInt());
        }
        for (JsonNode a : root.path("added_tokens")) {
            max = Math.max(max, a.path("id").asInt());
        }
        byte[][] table = new byte[max + 1][];
        for (Iterator<Map.Entry<String, JsonNode>> it = model.path("vocab").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String piece = e.getKey();
            byte[] b;
            if (byteLevel) {
                b = ByteLevel.decode(piece);
            } else if (byteFallback && piece.length() == 6 && piece.startsWith("<0x") && piece.endsWith(">")) {
                b = new byte[] {(byte) Integer.parseInt(piece.substring(3, 5), 16)};
            } else {
                b = piece.replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8);
            }
            table[e.getValue().asInt()] = b;
        }
        for (JsonNode a : root.path("added_tokens")) {
            int id = a.path("id").asInt();
            String content = a.path("content").asText();
            table[id] = a.path("special").asBoolean(false) ? new byte[0] : content.getBytes(StandardCharsets.UTF_8);
            if (bos < 0 && List.of("<s>", "<|begin_of_text|>", "<|im_start|>", "<bos>").contains(content)) {
                bos = id;
            }
            if (eos.isEmpty() && List.of("</s>", "<|end_of_text|>", "<|endoftext|>", "<eos>").contains(content)) {
                eos = List.of(id);
            }
        }
        for (int i = 0; i < table.length; i++) {
            if (table[i] == null) {
                table[i] = new byte[0];
            }
        }
        try {
            HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(file, Map.of(
                    "addSpecialTokens", "false", "truncation", "false", "padding", "false",
                    "modelMaxLength", "1000000"));
            return new HfTokenizer(t, table, bos, eos, strip);
        } catch (IOException | RuntimeException e) {
            throw new InputException(file.toString(), "", "tokenizer failed to load: " + e.getMessage());
        }
    }

    @Override
    public int[] encode(String text, boolean addBos) {
        Encoding enc = hf.encode(text, addBos, false);
        long[] ids = enc.getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = (int) ids[i];
        }
        return out;
    }

    /** Decoding by the Rust tokenizer itself (special tokens skipped); tests compare it with {@link #decode}. */
    public String decodeNative(int[] ids) {
        long[] l = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            l[i] = ids[i];
        }
        return hf.decode(l, true);
    }

    @Override
    public byte[] tokenBytes(int id) {
        return id >= 0 && id < bytes.length ? bytes[id] : new byte[0];
    }

    @Override
    public boolean stripsLeadingSpace() {
        return strip;
    }

    @Override
    public int vocabSize() {
        return bytes.length;
    }

    @Override
    public int bosId() {
        return bos;
    }

    @Override
    public List<Integer> eosIds() {
        return eos;
    }

    @Override
    public void close() {
        hf.close();
    }
}
