package org.airshard.executor.tokenizer;

import java.util.ArrayList;
import java.util.List;
import org.airshard.executor.model.GgufFile;
import org.airshard.planner.io.InputException;

/** Builds a tokenizer from GGUF metadata ({@code tokenizer.ggml.*}). */
public final class GgufTokenizers {

    private GgufTokenizers() {
    }

    public static Tokenizer fromMetadata(GgufFile g) throws InputException {
        String src = g.path.toString();
        String model = g.string("tokenizer.ggml.model");
        Object tokObj = g.metadata.get("tokenizer.ggml.tokens");
        if (model == null || !(tokObj instanceof List<?> rawTokens)) {
            throw new InputException(src, "tokenizer.ggml.tokens", "the GGUF file carries no vocabulary");
        }
        List<String> tokens = new ArrayList<>(rawTokens.size());
        for (Object o : rawTokens) {
            tokens.add((String) o);
        }
        int[] types = g.metadata.get("tokenizer.ggml.token_type") instanceof int[] t ? t : new int[tokens.size()];
        if (types.length != tokens.size()) {
            throw new InputException(src, "tokenizer.ggml.token_type", "length differs from the token list");
        }
        int bos = (int) g.integer("tokenizer.ggml.bos_token_id", -1);
        int eosId = (int) g.integer("tokenizer.ggml.eos_token_id", -1);
        List<Integer> eos = new ArrayList<>();
        if (eosId >= 0) {
            eos.add(eosId);
        }
        int eot = (int) g.integer("tokenizer.ggml.eot_token_id", -1);
        if (eot >= 0 && eot != eosId) {
            eos.add(eot);
        }
        boolean addBos = g.integer("tokenizer.ggml.add_bos_token", 1) != 0;
        switch (model) {
            case "gpt2": {
                Object mObj = g.metadata.get("tokenizer.ggml.merges");
                List<String> merges = new ArrayList<>();
                if (mObj instanceof List<?> ml) {
                    for (Object o : ml) {
                        merges.add((String) o);
                    }
                }
                boolean[] control = new boolean[tokens.size()];
                for (int i = 0; i < types.length; i++) {
                    control[i] = types[i] == SpmTokenizer.CONTROL;
                }
                return new BpeTokenizer(tokens, merges, control,
                        BpeTokenizer.regexForPre(g.string("tokenizer.ggml.pre")), bos, eos).withAddBos(addBos);
            }
            case "llama": {
                float[] scores = g.metadata.get("tokenizer.ggml.scores") instanceof float[] s ? s : new float[tokens.size()];
                int unk = (int) g.integer("tokenizer.ggml.unknown_token_id", 0);
                boolean prefix = g.integer("tokenizer.ggml.add_space_prefix", 1) != 0;
                return new SpmTokenizer(tokens, scores, types, bos, eos, unk, prefix).withAddBos(addBos);
            }
            default:
                throw new InputException(src, "tokenizer.ggml.model", "unsupported tokenizer type '" + model
                        + "' (supported: gpt2 byte-level BPE, llama SentencePiece BPE)");
        }
    }
}
