package org.airshard.executor.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte-level BPE (GPT-2 / Llama-3 style) from a vocabulary and a ranked merge list, as stored in GGUF
 * metadata ({@code tokenizer.ggml.model = gpt2}). Control tokens appearing literally in the text are
 * matched first and never split.
 */
public final class BpeTokenizer implements Tokenizer {

    /** GPT-2 pre-tokenizer (HF ByteLevel use_regex). */
    public static final String GPT2_REGEX =
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
    /** Llama-3 pre-tokenizer. */
    public static final String LLAMA3_REGEX =
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
                    + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    /** Qwen2 pre-tokenizer. */
    public static final String QWEN2_REGEX =
            "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*"
                    + "|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

    private final List<String> tokens;
    private final Map<String, Integer> ids = new HashMap<>();
    private final Map<String, Integer> mergeRank = new HashMap<>();
    private final boolean[] control;
    private final Pattern pre;
    private final Pattern specials;
    private final int bos;
    private boolean addBosByDefault = true;
    private final List<Integer> eos;
    private final Map<String, int[]> cache = new HashMap<>();

    /**
     * @param tokens    token strings in byte-level form, index = id
     * @param merges    merges {@code "a b"} in rank order
     * @param control   control (special) tokens, decoded to nothing
     * @param preRegex  pre-tokenizer regex
     */
    public BpeTokenizer(List<String> tokens, List<String> merges, boolean[] control, String preRegex, int bos,
                        List<Integer> eos) {
        this.tokens = List.copyOf(tokens);
        for (int i = 0; i < tokens.size(); i++) {
            ids.putIfAbsent(tokens.get(i), i);
        }
        for (int i = 0; i < merges.size(); i++) {
            mergeRank.putIfAbsent(merges.get(i), i);
        }
        this.control = control.clone();
        this.pre = Pattern.compile(preRegex, Pattern.UNICODE_CHARACTER_CLASS);
        List<String> sp = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (control[i] && !tokens.get(i).isEmpty()) {
                sp.add(Pattern.quote(tokens.get(i)));
            }
        }
        sp.sort((a, b) -> b.length() - a.length());
        this.specials = sp.isEmpty() ? null : Pattern.compile(String.join("|", sp));
        this.bos = bos;
        this.eos = List.copyOf(eos);
    }

    public static String regexForPre(String pre) {
        if (pre == null) {
            return GPT2_REGEX;
        }
        switch (pre) {
            case "llama-bpe":
            case "llama3":
            case "smaug-bpe":
                return LLAMA3_REGEX;
            case "qwen2":
                return QWEN2_REGEX;
            default:
                return GPT2_REGEX;
        }
    }

    @Override
    public int[] encode(String text, boolean addBos) {
        List<Integer> out = new ArrayList<>();
        if (addBos && addBosByDefault && bos >= 0) {
            out.add(bos);
        }
        int pos = 0;
        if (specials != null) {
            Matcher m = specials.matcher(text);
            while (m.find()) {
                encodeOrdinary(text.substring(pos, m.start()), out);
                out.add(ids.get(m.group()));
                pos = m.end();
            }
        }
        encodeOrdinary(text.substring(pos), out);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private void encodeOrdinary(String text, List<Integer> out) {
        Matcher m = pre.matcher(text);
        while (m.find()) {
            String word = ByteLevel.encode(m.group());
            int[] cached = cache.get(word);
            if (cached == null) {
                cached = bpe(word);
                if (cache.size() < 100_000) {
                    cache.put(word, cached);
                }
            }
            for (int id : cached) {
                out.add(id);
            }
        }
    }

    private int[] bpe(String word) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            int n = Character.charCount(cp);
            parts.add(word.substring(i, i + n));
            i += n;
        }
        while (parts.size() > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < parts.size(); i++) {
                Integer r = mergeRank.get(parts.get(i) + " " + parts.get(i + 1));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            parts.set(best, parts.get(best) + parts.get(best + 1));
            parts.remove(best + 1);
        }
        int[] res = new int[parts.size()];
        for (int i = 0; i < res.length; i++) {
            Integer id = ids.get(parts.get(i));
            if (id == null) {
                throw new IllegalStateException("byte-level vocabulary lacks symbol '" + parts.get(i) + "'");
            }
            res[i] = id;
        }
        return res;
    }

    @Override
    public byte[] tokenBytes(int id) {
        if (id < 0 || id >= tokens.size() || control[id]) {
            return new byte[0];
        }
        return ByteLevel.decode(tokens.get(id));
    }

    /** Whether {@code encode(text, true)} prepends BOS (GGUF {@code tokenizer.ggml.add_bos_token}; default true). */
    public BpeTokenizer withAddBos(boolean add) {
        this.addBosByDefault = add;
        return this;
    }

    @Override
    public int vocabSize() {
        return tokens.size();
    }

    @Override
    public int bosId() {
        return bos;
    }

    @Override
    public List<Integer> eosIds() {
        return eos;
    }
}
