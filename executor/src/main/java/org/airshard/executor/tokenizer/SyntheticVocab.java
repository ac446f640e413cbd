package org.airshard.executor.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small byte-level BPE vocabulary the project builds itself for synthetic checkpoints: ids 0–2 are
 * {@code <|unk|>}, {@code <|begin_of_text|>}, {@code <|end_of_text|>} (control), ids 3–258 the 256 bytes,
 * then merges learnt from a built-in multilingual text, then (for large vocabularies) seeded merges of
 * existing tokens until {@code size} entries. Every merge is valid BPE, so encode/decode round-trips.
 */
public final class SyntheticVocab {

    public static final int UNK = 0, BOS = 1, EOS = 2, FIRST_BYTE = 3;

    static final String CORPUS = String.join(" ",
            "Once upon a time there was a little robot who lived on a small board next to the window.",
            "Every morning the robot counted the tokens that came in and sent them to its friends.",
            "The friends were other boards, and together they told stories that nobody had ever heard.",
            "They said the stories were meaningless, but the robot liked them anyway, and so did the cat.",
            "Il était une fois un petit robot qui vivait sur une carte près de la fenêtre.",
            "Es war einmal ein kleiner Roboter, der auf einer Platine neben dem Fenster wohnte.",
            "Érase una vez un pequeño robot que vivía en una placa junto a la ventana.",
            "Жил-был маленький робот, который жил на плате у окна.",
            "从前有一个小机器人，它住在窗边的一块板子上。",
            "昔々、窓のそばの基板に小さなロボットが住んでいました。",
            "옛날 옛적에 창가의 보드에 작은 로봇이 살았습니다.",
            "There were 12 boards, 345 links and 6789 packets; the robot counted them all twice.",
            "def forward(x): return x + attention(norm(x)) # residual stream");

    public final List<String> tokens;
    public final List<String> merges;
    public final boolean[] control;

    private SyntheticVocab(List<String> tokens, List<String> merges, boolean[] control) {
        this.tokens = tokens;
        this.merges = merges;
        this.control = control;
    }

    public static SyntheticVocab build(int size, long seed) {
        if (size < 300) {
            throw new IllegalArgumentException("vocabulary too small: " + size);
        }
        List<String> tokens = new ArrayList<>();
        tokens.add("<|unk|>");
        tokens.add("<|begin_of_text|>");
        tokens.add("<|end_of_text|>");
        for (int b = 0; b < 256; b++) {
            tokens.add(String.valueOf(ByteLevel.byteToChar(b)));
        }
        Set<String> known = new HashSet<>(tokens);
        List<String> merges = new ArrayList<>();
        // learn merges from the corpus
        Pattern pre = Pattern.compile(BpeTokenizer.GPT2_REGEX, Pattern.UNICODE_CHARACTER_CLASS);
        Map<String, Integer> wordFreq = new HashMap<>();
        Matcher m = pre.matcher(CORPUS);
        while (m.find()) {
            wordFreq.merge(ByteLevel.encode(m.group()), 1, Integer::sum);
        }
        List<List<String>> words = new ArrayList<>();
        List<Integer> freqs = new ArrayList<>();
        wordFreq.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            List<String> parts = new ArrayList<>();
            for (char c : e.getKey().toCharArray()) {
                parts.add(String.valueOf(c));
            }
            words.add(parts);
            freqs.add(e.getValue());
        });
        while (tokens.size() < size) {
            Map<String, Integer> pairCounts = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                List<String> p = words.get(w);
                for (int i = 0; i + 1 < p.size(); i++) {
                    pairCounts.merge(p.get(i) + " " + p.get(i + 1), freqs.get(w), Integer::sum);
                }
            }
            String best = null;
            int bestCount = 1;
            for (Map.Entry<String, Integer> e : pairCounts.entrySet()) {
                if (e.getValue() > bestCount || e.getValue() == bestCount && best != null && e.getKey().compareTo(best) < 0) {
                    if (e.getValue() >= 2) {
                        best = e.getKey();
                        bestCount = e.getValue();
                    }
                }
            }
            if (best == null) {
                break;
            }
            int sp = best.indexOf(' ');
            String a = best.substring(0, sp), b = best.substring(sp + 1), ab = a + b;
            merges.add(best);
            if (known.add(ab)) {
                tokens.add(ab);
            }
            for (List<String> p : words) {
                for (int i = 0; i + 1 < p.size(); i++) {
                    if (p.get(i).equals(a) && p.get(i + 1).equals(b)) {
                        p.set(i, ab);
                        p.remove(i + 1);
                    }
                }
            }
        }
        // seeded filler merges: concatenations of existing ordinary tokens
        SplittableRandom rnd = new SplittableRandom(seed);
        int ordinaryStart = FIRST_BYTE;
        while (tokens.size() < size) {
            String a = tokens.get(ordinaryStart + rnd.nextInt(tokens.size() - ordinaryStart));
            String b = tokens.get(ordinaryStart + rnd.nextInt(tokens.size() - ordinaryStart));
            String ab = a + b;
            if (ab.length() > 12 || known.contains(ab) || !readable(ab)) {
                continue;
            }
            known.add(ab);
            tokens.add(ab);
            merges.add(a + " " + b);
        }
        boolean[] control = new boolean[tokens.size()];
        control[UNK] = control[BOS] = control[EOS] = true;
        return new SyntheticVocab(List.copyOf(tokens), List.copyOf(merges), control);
    }

    /** Whether a byte-level token decodes to valid UTF-8 with no control characters (keeps demo text legible). */
    static boolean readable(String token) {
        byte[] b = ByteLevel.decode(token);
        try {
            String s = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(b)).toString();
            return s.codePoints().noneMatch(Character::isISOControl);
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    public BpeTokenizer tokenizer() {
        return new BpeTokenizer(tokens, merges, control, BpeTokenizer.GPT2_REGEX, BOS, List.of(EOS));
    }

    /** Writes a Hugging Face {@code tokenizer.json} for this vocabulary. */
    public void writeTokenizerJson(Path file) throws IOException {
        ObjectMapper om = new ObjectMapper();
        ObjectNode root = om.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (int i = 0; i < tokens.size(); i++) {
            if (control[i]) {
                added.addObject().put("id", i).put("content", tokens.get(i)).put("single_word", false)
                        .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
            }
        }
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false)
                .put("trim_offsets", true).put("use_regex", true);
        // BOS through the post-processor, as Llama checkpoints do
        ObjectNode post = root.putObject("post_processor");
        post.put("type", "TemplateProcessing");
        ArrayNode single = post.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", tokens.get(BOS)).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = post.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", tokens.get(BOS)).put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode st = post.putObject("special_tokens").putObject(tokens.get(BOS));
        st.put("id", tokens.get(BOS));
        st.putArray("ids").add(BOS);
        st.putArray("tokens").add(tokens.get(BOS));
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true)
                .put("trim_offsets", true).put("use_regex", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE").putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false).put("byte_fallback", false).put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        for (int i = 0; i < tokens.size(); i++) {
            vocab.put(tokens.get(i), i);
        }
        ArrayNode mergeArr = model.putArray("merges");
        for (String mg : merges) {
            mergeArr.add(mg);
        }
        om.writeValue(file.toFile(), root);
    }
}
