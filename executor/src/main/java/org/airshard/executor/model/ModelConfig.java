package org.airshard.executor.model;

import java.util.List;
import org.airshard.planner.model.ModelSpec;

/**
 * Dimensions and hyper-parameters of a LLaMA-family decoder as read from a checkpoint
 * ({@code config.json} or GGUF metadata).
 *
 * <p>All tensors handed out by a {@link TensorStore} follow the Hugging Face layout: 2-D weights are
 * {@code [out, in]} row-major and the rows of {@code q_proj}/{@code k_proj} are in HF's half-rotation
 * RoPE order (dimension {@code i} pairs with {@code i + d_h/2}). GGUF's adjacent-pair order is undone at
 * load time by {@link GgufStore}.
 *
 * @param architecture       {@code llama}, {@code mistral} or {@code qwen2}
 * @param hiddenSize         d
 * @param layers             N_L
 * @param heads              h (query heads)
 * @param kvHeads            h_kv (KV groups), divides h
 * @param headDim            d_h (usually d / h)
 * @param ffnSize            F
 * @param vocabSize          V
 * @param rmsEps             RMSNorm epsilon
 * @param ropeTheta          RoPE base
 * @param ropeScaling        Llama-3 style frequency scaling, or {@code null}
 * @param maxPositions       context length the model was trained for
 * @param tiedEmbeddings     LM head shares the embedding matrix
 * @param qkvBias            q/k/v projections carry biases (Qwen2)
 * @param bosTokenId         BOS id or -1
 * @param eosTokenIds        stop ids (may be empty)
 * @param slidingWindow      attention window in tokens (Mistral-style), 0 = full causal attention
 */
public record ModelConfig(
        String architecture,
        int hiddenSize,
        int layers,
        int heads,
        int kvHeads,
        int headDim,
        int ffnSize,
        int vocabSize,
        double rmsEps,
        double ropeTheta,
        RopeScaling ropeScaling,
        int maxPositions,
        boolean tiedEmbeddings,
        boolean qkvBias,
        int bosTokenId,
        List<Integer> eosTokenIds,
        int slidingWindow) {

    /**
     * Llama-3 rope scaling ({@code rope_type: llama3}).
     *
     * @param factor                       frequency divisor for long wavelengths
     * @param lowFreqFactor                low-frequency factor
     * @param highFreqFactor               high-frequency factor
     * @param originalMaxPositions         original context length
     */
    public record RopeScaling(double factor, double lowFreqFactor, double highFreqFactor, int originalMaxPositions) {
    }

    public ModelConfig {
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    /** Query heads per KV group. */
    public int headsPerGroup() {
        return heads / kvHeads;
    }

    /** Builds the config of a planner preset (synthetic shapes use this). */
    public static ModelConfig fromSpec(ModelSpec s) {
        return new ModelConfig("llama", s.hiddenSize(), s.layers(), s.heads(), s.kvHeads(), s.headDim(), s.ffnSize(),
                s.vocabSize(), 1e-5, s.ropeTheta(), null, s.contextTokens(), s.tiedEmbeddings(), s.qkvBias(), 1,
                List.of(2), 0);
    }

    /** Copy with other flags (tests use it to cover GQA/bias/tied/scaling variants). */
    public ModelConfig withVariant(boolean tied, boolean bias, RopeScaling scaling) {
        return new ModelConfig(architecture, hiddenSize, layers, heads, kvHeads, headDim, ffnSize, vocabSize, rmsEps,
                ropeTheta, scaling, maxPositions, tied, bias, bosTokenId, eosTokenIds, slidingWindow);
    }

    /** Copy with another trained context length (synthetic models). */
    public ModelConfig withContextTokensFor(int tokens) {
        return new ModelConfig(architecture, hiddenSize, layers, heads, kvHeads, headDim, ffnSize, vocabSize, rmsEps,
                ropeTheta, ropeScaling, tokens, tiedEmbeddings, qkvBias, bosTokenId, eosTokenIds, slidingWindow);
    }

    /** Copy with a sliding attention window (0 = none). */
    public ModelConfig withSlidingWindow(int window) {
        return new ModelConfig(architecture, hiddenSize, layers, heads, kvHeads, headDim, ffnSize, vocabSize, rmsEps,
                ropeTheta, ropeScaling, maxPositions, tiedEmbeddings, qkvBias, bosTokenId, eosTokenIds, window);
    }

    /**
     * Inverse RoPE frequencies, one per rotated pair: {@code θ^(-2i/d_h)}, with Llama-3 scaling applied when
     * configured, and divided by {@code freqFactors[i]} when the checkpoint carries explicit factors (GGUF
     * {@code rope_freqs.weight}).
     */
    public double[] inverseFrequencies(float[] freqFactors) {
        int half = headDim / 2;
        double[] inv = new double[half];
        for (int i = 0; i < half; i++) {
            double f = 1.0 / Math.pow(ropeTheta, (2.0 * i) / headDim);
            if (freqFactors != null) {
                f /= freqFactors[i];
            } else if (ropeScaling != null) {
                RopeScaling r = ropeScaling;
                double lowWavelen = r.originalMaxPositions() / r.lowFreqFactor();
                double highWavelen = r.originalMaxPositions() / r.highFreqFactor();
                double wavelen = 2 * Math.PI / f;
                if (wavelen > lowWavelen) {
                    f = f / r.factor();
                } else if (wavelen >= highWavelen) {
                    double smooth = (r.originalMaxPositions() / wavelen - r.lowFreqFactor())
                            / (r.highFreqFactor() - r.lowFreqFactor());
                    f = (1 - smooth) * f / r.factor() + smooth * f;
                }
            }
            inv[i] = f;
        }
        return inv;
    }
}
