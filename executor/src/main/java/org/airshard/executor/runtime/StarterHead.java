package org.airshard.executor.runtime;

import ai.onnxruntime.OrtException;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.ModelConfig;
import org.airshard.executor.model.TensorNames;
import org.airshard.executor.shard.ShardGraphs;
import org.airshard.planner.io.InputException;

/**
 * What the pipeline starter holds besides its layers (MDI-LLM's starter, pipeline.md): the token embedding
 * (a row copy, no ONNX Runtime run) and the final norm + LM head ({@link ShardGraphs#head}) that turn the last
 * member's hidden state into logits. Used by a board that starts the ring and by the coordinator when it
 * drives a star or a tensor-parallel run. Not thread-safe: one caller at a time.
 */
public final class StarterHead implements AutoCloseable {

    private final ModelConfig config;
    private final float[] embedTable;
    private final OrtShard head;
    private final int headRows;

    public StarterHead(Checkpoint ckpt, RuntimeOptions options) throws InputException, OrtException {
        this(ckpt, options, ckpt.config().vocabSize());
    }

    /**
     * @param headRows the head covers vocabulary rows {@code [0, headRows)} (the rest run on the ring's last member,
     *                 {@link LmHeadSlice}); the embedding table is always whole
     */
    public StarterHead(Checkpoint ckpt, RuntimeOptions options, int headRows) throws InputException, OrtException {
        this.config = ckpt.config();
        this.embedTable = ckpt.store().read(TensorNames.EMBED);
        this.headRows = headRows;
        this.head = new OrtShard("head", ShardGraphs.headRows(ckpt, 0, headRows), options);
    }

    /** Vocabulary rows this head computes: {@code [0, headRows())}. */
    public int headRows() {
        return headRows;
    }

    /** Embedding rows of {@code tokens}: {@code [T, d]} row-major. */
    public float[] embed(int[] tokens) {
        int d = config.hiddenSize(), v = config.vocabSize();
        float[] h = new float[tokens.length * d];
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= v) {
                throw new IllegalArgumentException("token id " + tokens[i] + " outside the vocabulary (0.." + (v - 1) + ")");
            }
            System.arraycopy(embedTable, tokens[i] * d, h, i * d, d);
        }
        return h;
    }

    /**
     * Logits {@code [headRows]} of the last of {@code rows} hidden rows (the first {@code rows·d} values of
     * {@code hidden}), written into a new array of {@code length} ≥ headRows (the rest left for the other slice).
     */
    public float[] logits(float[] hidden, int rows, int length) throws OrtException {
        return LmHeadSlice.run(head, config.hiddenSize(), hidden, rows, headRows, length);
    }

    /** Logits {@code [V]} of the last of {@code rows} hidden rows (a whole head). */
    public float[] logits(float[] hidden, int rows) throws OrtException {
        return logits(hidden, rows, headRows);
    }

    @Override
    public void close() {
        head.close();
    }
}
