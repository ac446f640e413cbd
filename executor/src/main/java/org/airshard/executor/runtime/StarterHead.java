package org.airshard.executor.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Map;
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

    public StarterHead(Checkpoint ckpt, RuntimeOptions options) throws InputException, OrtException {
        this.config = ckpt.config();
        this.embedTable = ckpt.store().read(TensorNames.EMBED);
        this.head = new OrtShard("head", ShardGraphs.head(ckpt), options);
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

    /** Logits {@code [V]} of the last of {@code rows} hidden rows (the first {@code rows·d} values of {@code hidden}). */
    public float[] logits(float[] hidden, int rows) throws OrtException {
        float[] logits = new float[config.vocabSize()];
        try (OnnxTensor x = OnnxTensor.createTensor(OrtShard.environment(), FloatBuffer.wrap(hidden, 0, rows * config.hiddenSize()),
                new long[] {rows, config.hiddenSize()});
             OrtSession.Result r = head.run(Map.of(ShardGraphs.HIDDEN_IN, x))) {
            ((OnnxTensor) r.get(ShardGraphs.LOGITS).orElseThrow()).getFloatBuffer().get(logits);
        }
        return logits;
    }

    @Override
    public void close() {
        head.close();
    }
}
