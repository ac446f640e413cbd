package org.airshard.executor.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * SentencePiece-style BPE with byte fallback (Llama-2 style; GGUF {@code tokenizer.ggml.model = llama}):
 * spaces become {@code ▁}, a dummy {@code ▁} prefix is added, adjacent pieces are merged by highest score,
 * and characters missing from the vocabulary fall back to {@code <0xXX>} byte tokens.
 */
public final class SpmTokenizer implements Tokenizer {

    /** GGUF token types. */
    public static final int NORMAL = 1, UNKNOWN = 2, CONTROL = 3, USER_DEFINED = 4, UNUSED = 5, BYTE = 6;

    private final List<String> pieces;
    private final float[] scores;
    private final int[] types;
    private final Map<String, Integer> ids = new HashMap<>();
    private final int[] byteIds = new int[256];
    private final int bos;
    private boolean addBosByDefault = true;
    private final int unk;
    private final List<Integer> eos;
    private final boolean dummyPrefix;

    public SpmTokenizer(List<String> pieces, float[] scores, int[] types, int bos, List<Integer> eos, int unk,
                        boolean dummyPrefix) {
        this.pieces = List.copyOf(pieces);
        this.scores = scores.clone();
        this.types = types.clone();
        java.util.Arrays.fill(byteIds, -1);
        for (int i = 0; i < pieces.size(); i++) {
            String p = pieces.get(i);
            if (types[i] == BYTE && p.length() == 6 && p.startsWith("<0x")) {
                byteIds[Integer.parseInt(p.substring(3, 5), 16)] = i;
            } else {
                ids.putIfAbsent(p, i);
            }
        }
        this.bos = bos;
        this.eos = List.copyOf(eos);
        this.unk = unk;
        this.dummyPrefix = dummyPrefix;
    }

    private record Sym(int start, int end) {
    }

    @Override
    public int[] encode(String text, boolean addBos) {
        List<Integer> out = new ArrayList<>();
        if (addBos && addBosByDefault && bos >= 0) {
            out.add(bos);
        }
        if (text.isEmpty()) {
            return out.stream().mapToInt(Integer::intValue).toArray();
        }
        String s = (dummyPrefix ? " " : "") + text;
        s = s.replace(' ', '\u2581');
        // symbols = code points, linked list via prev/next arrays
        List<Sym> syms = new ArrayList<>();
        for (int i = 0; i < s.length(); ) {
            int n = Character.charCount(s.codePointAt(i));
            syms.add(new Sym(i, i + n));
            i += n;
        }
        int n = syms.size();
        int[] start = new int[n], end = new int[n], prev = new int[n], next = new int[n];
        for (int i = 0; i < n; i++) {
            start[i] = syms.get(i).start();
            end[i] = syms.get(i).end();
            prev[i] = i - 1;
            next[i] = i + 1 < n ? i + 1 : -1;
        }
        // candidate merges ordered by score desc, then left position
        PriorityQueue<double[]> q = new PriorityQueue<>((a, b) -> a[0] != b[0] ? Double.compare(b[0], a[0])
                : Double.compare(a[1], b[1]));
        final String str = s;
        java.util.function.BiConsumer<Integer, Integer> tryAdd = (l, r) -> {
            if (l < 0 || r < 0) {
                return;
            }
            String piece = str.substring(start[l], end[r]);
            Integer id = ids.get(piece);
            if (id != null) {
                q.add(new double[] {scores[id], l, r, end[r] - start[l]});
            }
        };
        for (int i = 0; i + 1 < n; i++) {
            tryAdd.accept(i, i + 1);
        }
        boolean[] dead = new boolean[n];
        while (!q.isEmpty()) {
            double[] c = q.poll();
            int l = (int) c[1], r = (int) c[2];
            if (dead[l] || dead[r] || next[l] != r || end[r] - start[l] != (int) c[3]) {
                continue;
            }
            end[l] = end[r];
            dead[r] = true;
            next[l] = next[r];
            if (next[r] >= 0) {
                prev[next[r]] = l;
            }
            tryAdd.accept(prev[l], l);
            tryAdd.accept(l, next[l]);
        }
        for (int i = 0; i >= 0 && i < n; i = next[i]) {
            String piece = s.substring(start[i], end[i]);
            Integer id = ids.get(piece);
            if (id != null) {
                out.add(id);
            } else {
                for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
                    int bid = byteIds[b & 0xff];
                    out.add(bid >= 0 ? bid : unk);
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public byte[] tokenBytes(int id) {
        if (id < 0 || id >= pieces.size()) {
            return new byte[0];
        }
        String p = pieces.get(id);
        switch (types[id]) {
            case CONTROL:
            case UNKNOWN:
            case UNUSED:
                return new byte[0];
            case BYTE:
                return new byte[] {(byte) Integer.parseInt(p.substring(3, 5), 16)};
            default:
                return p.replace('\u2581', ' ').getBytes(StandardCharsets.UTF_8);
        }
    }

    @Override
    public boolean stripsLeadingSpace() {
        return dummyPrefix;
    }

    /** Whether {@code encode(text, true)} prepends BOS (GGUF {@code tokenizer.ggml.add_bos_token}; default true). */
    public SpmTokenizer withAddBos(boolean add) {
        this.addBosByDefault = add;
        return this;
    }

    @Override
    public int vocabSize() {
        return pieces.size();
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
