package org.airshard.executor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.airshard.executor.model.GgufFile;
import org.airshard.executor.model.GgufWriter;
import org.airshard.executor.tokenizer.BpeTokenizer;
import org.airshard.executor.tokenizer.GgufTokenizers;
import org.airshard.executor.tokenizer.HfTokenizer;
import org.airshard.executor.tokenizer.SpmTokenizer;
import org.airshard.executor.tokenizer.StreamingDecoder;
import org.airshard.executor.tokenizer.SyntheticVocab;
import org.airshard.executor.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tokenizer round trips (multilingual, byte fallback), HF Rust tokenizer vs our GGUF-metadata tokenizers, streaming. */
class TokenizerTest {

    static final List<String> TEXTS = List.of(
            "Once upon a time there was a little robot.",
            "Il était une fois, à Paris — «déjà vu»!",
            "Жил-был маленький робот.",
            "从前有一个小机器人，它住在窗边。",
            "昔々、ロボットが住んでいました。 옛날 옛적에",
            "emoji 🙂🚀 and math ∑ x² ≤ ∞, tabs\tand\nnewlines  double  spaces ",
            "numbers 12345 and code: def f(x): return x+1 # ok",
            "");

    @TempDir
    Path tmp;

    @Test
    void syntheticByteLevelBpeAgreesWithHuggingFaceAndRoundTrips() throws Exception {
        SyntheticVocab v = SyntheticVocab.build(512, 1);
        Path tj = tmp.resolve("tokenizer.json");
        v.writeTokenizerJson(tj);
        try (HfTokenizer hf = HfTokenizer.load(tj, SyntheticVocab.BOS, List.of(SyntheticVocab.EOS))) {
            BpeTokenizer ours = v.tokenizer();
            for (String t : TEXTS) {
                int[] a = hf.encode(t, false);
                assertArrayEquals(a, ours.encode(t, false), "ids for: " + t);
                assertEquals(t, ours.decode(a), "round trip (ours)");
                assertEquals(t, hf.decode(a), "round trip (HF table)");
                assertEquals(t, hf.decodeNative(a), "round trip (HF Rust)");
                assertStreams(ours, a, t);
            }
            String withSpecial = "end<|end_of_text|>start";
            int[] sp = hf.encode(withSpecial, false);
            assertArrayEquals(sp, ours.encode(withSpecial, false), "special token split out identically");
            assertTrue(java.util.Arrays.stream(sp).anyMatch(id -> id == SyntheticVocab.EOS));
            assertEquals("endstart", ours.decode(sp), "control tokens decode to nothing");
            int[] withBos = hf.encode("hi", true);
            assertEquals(SyntheticVocab.BOS, withBos[0]);
            assertEquals("hi", hf.decode(withBos));
        }
    }

    @Test
    void largeSyntheticVocabularyRoundTripsThroughGgufMetadata() throws Exception {
        SyntheticVocab v = SyntheticVocab.build(32000, 9);
        assertEquals(32000, v.tokens.size());
        Path f = tmp.resolve("vocab.gguf");
        new GgufWriter().put("general.architecture", "llama").put("tokenizer.ggml.model", "gpt2")
                .put("tokenizer.ggml.pre", "gpt-2").put("tokenizer.ggml.tokens", v.tokens)
                .put("tokenizer.ggml.token_type", types(v)).put("tokenizer.ggml.merges", v.merges)
                .put("tokenizer.ggml.bos_token_id", 1).put("tokenizer.ggml.eos_token_id", 2).write(f);
        Tokenizer t = GgufTokenizers.fromMetadata(GgufFile.read(f));
        Path tj = tmp.resolve("t32k.json");
        v.writeTokenizerJson(tj);
        try (HfTokenizer hf = HfTokenizer.load(tj, 1, List.of(2))) {
            for (String s : TEXTS) {
                int[] ids = t.encode(s, true);
                assertEquals(1, ids[0]);
                assertEquals(s, t.decode(ids));
                int[] hfIds = hf.encode(s, true);
                assertArrayEquals(hfIds, ids, "GGUF-metadata tokenizer vs HF for: " + s);
            }
        }
    }

    @Test
    void ggufAddBosFlagIsHonoured() throws Exception {
        SyntheticVocab v = SyntheticVocab.build(400, 2);
        Path f = tmp.resolve("nobos.gguf");
        new GgufWriter().put("general.architecture", "qwen2").put("tokenizer.ggml.model", "gpt2")
                .put("tokenizer.ggml.pre", "qwen2").put("tokenizer.ggml.tokens", v.tokens)
                .put("tokenizer.ggml.token_type", types(v)).put("tokenizer.ggml.merges", v.merges)
                .put("tokenizer.ggml.bos_token_id", 1).put("tokenizer.ggml.add_bos_token", false).write(f);
        Tokenizer t = GgufTokenizers.fromMetadata(GgufFile.read(f));
        int[] ids = t.encode("hello 123", true);
        assertTrue(ids[0] != 1, "Qwen2-style vocabularies get no BOS");
        assertEquals("hello 123", t.decode(ids));
    }

    private static int[] types(SyntheticVocab v) {
        int[] t = new int[v.tokens.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = v.control[i] ? 3 : 1;
        }
        return t;
    }

    /** A Llama-2-style vocabulary: control, 256 byte tokens, then pieces over a small alphabet. */
    static final String[] PIECES = {"▁", "t", "h", "e", "c", "a", "o", "b", "r", "▁t", "he", "▁the", "▁c", "▁ca", "▁cat",
        "ro", "bo", "▁ro", "▁robo", "t.", "▁robot", "x", "▁x"};

    @Test
    void sentencePieceStyleWithByteFallbackRoundTrips() throws Exception {
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<Integer> types = new ArrayList<>(List.of(SpmTokenizer.UNKNOWN, SpmTokenizer.CONTROL, SpmTokenizer.CONTROL));
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
            types.add(SpmTokenizer.BYTE);
        }
        for (String p : PIECES) {
            tokens.add(p);
            types.add(SpmTokenizer.NORMAL);
        }
        float[] scores = new float[tokens.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = i < 259 ? 0 : tokens.get(i).length() * 1.0f - i * 0.001f;
        }
        Path f = tmp.resolve("spm.gguf");
        new GgufWriter().put("general.architecture", "llama").put("tokenizer.ggml.model", "llama")
                .put("tokenizer.ggml.tokens", tokens).put("tokenizer.ggml.scores", scores)
                .put("tokenizer.ggml.token_type", types.stream().mapToInt(Integer::intValue).toArray())
                .put("tokenizer.ggml.bos_token_id", 1).put("tokenizer.ggml.eos_token_id", 2).write(f);
        Tokenizer spm = GgufTokenizers.fromMetadata(GgufFile.read(f));
        int[] ids = spm.encode("the cat", true);
        assertEquals(List.of("<s>", "▁the", "▁cat"), names(tokens, ids));
        int[] robot = spm.encode("the robot.", false);
        assertEquals(List.of("▁the", "▁robot", "<0x2E>"), names(tokens, robot), "'.' alone is not a piece: byte fallback");
        int[] fallback = spm.encode("é🙂", false);
        // ▁ then é (2 bytes) and 🙂 (4 bytes) as byte tokens
        assertEquals(7, fallback.length);
        assertEquals("<0xC3>", tokens.get(fallback[1]));
        for (String t : TEXTS) {
            int[] e = spm.encode(t, true);
            assertEquals(t, spm.decode(e), "SPM round trip");
            assertStreams(spm, e, t);
        }
        // the same vocabulary as a tokenizer.json decoded by the HF Rust library
        Path tj = tmp.resolve("spm-tokenizer.json");
        writeSpmTokenizerJson(tj, tokens);
        try (HfTokenizer hf = HfTokenizer.load(tj, 1, List.of(2))) {
            for (String t : TEXTS) {
                int[] e = spm.encode(t, true);
                assertEquals(hf.decodeNative(e), hf.decode(e), "streaming table vs HF Rust decode");
                assertEquals(t, hf.decode(e));
                int[] hfIds = hf.encode(t, false);
                assertEquals(t, hf.decode(hfIds), "HF Rust byte-fallback encode round trip");
            }
        }
    }

    private static List<String> names(List<String> tokens, int[] ids) {
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            out.add(tokens.get(id));
        }
        return out;
    }

    private static void writeSpmTokenizerJson(Path file, List<String> tokens) throws Exception {
        ObjectMapper om = new ObjectMapper();
        ObjectNode root = om.createObjectNode();
        root.put("version", "1.0");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < 3; i++) {
            added.addObject().put("id", i).put("content", tokens.get(i)).put("single_word", false).put("lstrip", false)
                    .put("rstrip", false).put("normalized", false).put("special", true);
        }
        ObjectNode norm = root.putObject("normalizer");
        norm.put("type", "Sequence");
        ArrayNode ns = norm.putArray("normalizers");
        ns.addObject().put("type", "Prepend").put("prepend", "▁");
        ns.addObject().put("type", "Replace").put("content", "▁").putObject("pattern").put("String", " ");
        root.putNull("pre_tokenizer");
        root.putNull("post_processor");
        ObjectNode dec = root.putObject("decoder");
        dec.put("type", "Sequence");
        ArrayNode ds = dec.putArray("decoders");
        ds.addObject().put("type", "Replace").put("content", " ").putObject("pattern").put("String", "▁");
        ds.addObject().put("type", "ByteFallback");
        ds.addObject().put("type", "Fuse");
        ds.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").put("unk_token", "<unk>").put("fuse_unk", true).put("byte_fallback", true);
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < tokens.size(); i++) {
            vocab.put(tokens.get(i), i);
        }
        ArrayNode merges = model.putArray("merges");
        for (String m : new String[] {"▁ t", "h e", "▁t he", "▁ c", "▁c a", "▁ca t", "r o", "b o", "▁ ro", "▁ro bo",
            "▁robo t", "▁ x"}) {
            merges.add(m);
        }
        om.writeValue(file.toFile(), root);
    }

    /** Streaming decode: every chunk is valid text and the chunks add up to the whole decode. */
    static void assertStreams(Tokenizer t, int[] ids, String expected) {
        StreamingDecoder d = new StreamingDecoder(t, true);
        StringBuilder sb = new StringBuilder();
        for (int id : ids) {
            String chunk = d.accept(id);
            assertFalse(chunk.contains("\uFFFD"), "chunk with a broken character");
            sb.append(chunk);
        }
        sb.append(d.finish());
        assertEquals(expected, sb.toString());
    }

    @Test
    void streamingHoldsBackSplitCharacters() {
        // a vocabulary of single bytes: every multi-byte character arrives split
        SyntheticVocab v = SyntheticVocab.build(300, 1);
        BpeTokenizer t = v.tokenizer();
        String s = "é🙂中";
        int[] ids = t.encode(s, false);
        StreamingDecoder d = new StreamingDecoder(t, true);
        List<String> chunks = new ArrayList<>();
        for (int id : ids) {
            chunks.add(d.accept(id));
        }
        assertEquals(String.join("", chunks), s);
        assertTrue(chunks.contains(""), "some token completed no character");
        assertEquals("", d.finish());
    }
}
