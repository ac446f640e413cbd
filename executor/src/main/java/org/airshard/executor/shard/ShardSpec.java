package org.airshard.executor.shard;

import java.util.ArrayList;
import java.util.List;
import org.airshard.executor.model.ModelConfig;
import org.airshard.planner.io.InputException;

/**
 * The part of a model one board holds: decoder layers {@code [layerStart, layerEnd)}, and within each of
 * them the KV groups {@code [kvGroupStart, kvGroupEnd)} (each with {@code h/h_kv} query heads) and MLP
 * columns {@code [ffnStart, ffnEnd)} (rows of W_gate/W_up, columns of W_down); plus the token embedding
 * and/or the final norm + LM head. A shard whose slices cover everything is a pipeline stage; a shard with
 * partial slices is a tensor-parallel shard whose block outputs are partial sums to be all-reduced.
 */
public record ShardSpec(int layerStart, int layerEnd, int kvGroupStart, int kvGroupEnd, int ffnStart, int ffnEnd,
                        boolean embedding, boolean head) {

    /** The whole model in one shard. */
    public static ShardSpec whole(ModelConfig c) {
        return new ShardSpec(0, c.layers(), 0, c.kvHeads(), 0, c.ffnSize(), true, true);
    }

    /** A pipeline stage: full layers {@code [l0, l1)}. */
    public static ShardSpec stage(ModelConfig c, int l0, int l1, boolean embedding, boolean head) {
        return new ShardSpec(l0, l1, 0, c.kvHeads(), 0, c.ffnSize(), embedding, head);
    }

    /** Tensor-parallel slice {@code index} of {@code count} over all layers (KV groups and FFN columns split evenly). */
    public static ShardSpec tensorSlice(ModelConfig c, int index, int count) {
        int g0 = c.kvHeads() * index / count, g1 = c.kvHeads() * (index + 1) / count;
        int f0 = c.ffnSize() * index / count, f1 = c.ffnSize() * (index + 1) / count;
        return new ShardSpec(0, c.layers(), g0, g1, f0, f1, false, false);
    }

    /** Pipeline split into {@code count} contiguous, near-equal layer ranges; first holds the embedding, last the head. */
    public static List<ShardSpec> pipeline(ModelConfig c, int count) {
        List<ShardSpec> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int l0 = c.layers() * i / count, l1 = c.layers() * (i + 1) / count;
            out.add(stage(c, l0, l1, i == 0, i == count - 1));
        }
        return out;
    }

    public boolean fullAttention(ModelConfig c) {
        return kvGroupStart == 0 && kvGroupEnd == c.kvHeads();
    }

    public boolean fullMlp(ModelConfig c) {
        return ffnStart == 0 && ffnEnd == c.ffnSize();
    }

    public int layerCount() {
        return layerEnd - layerStart;
    }

    /** Checks the ranges against a model; one message naming the bad range. */
    public void validate(ModelConfig c) throws InputException {
        if (layerStart < 0 || layerEnd > c.layers() || layerStart > layerEnd) {
            throw new InputException("shard", "layers", "layer range [" + layerStart + ", " + layerEnd
                    + ") outside the model's " + c.layers() + " layers");
        }
        if (kvGroupStart < 0 || kvGroupEnd > c.kvHeads() || kvGroupStart >= kvGroupEnd) {
            throw new InputException("shard", "kvGroups", "KV-group range [" + kvGroupStart + ", " + kvGroupEnd
                    + ") outside the model's " + c.kvHeads() + " KV groups");
        }
        if (ffnStart < 0 || ffnEnd > c.ffnSize() || ffnStart >= ffnEnd) {
            throw new InputException("shard", "ffn", "FFN column range [" + ffnStart + ", " + ffnEnd
                    + ") outside the model's " + c.ffnSize() + " columns");
        }
    }
}
