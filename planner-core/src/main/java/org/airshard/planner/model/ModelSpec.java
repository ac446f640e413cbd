package org.airshard.planner.model;

/**
 * Exact dimensions of a LLaMA-family decoder (RMSNorm, RoPE, SwiGLU MLP, grouped-query attention) and
 * the quantities the planners derive from them.
 *
 * <p>Symbols (docs/model.md §Model): {@code d} = {@link #hiddenSize}, {@code h} = {@link #heads},
 * {@code h_kv} = {@link #kvHeads}, {@code d_h = d / h} = {@link #headDim()}, {@code F} = {@link #ffnSize},
 * {@code V} = {@link #vocabSize}, {@code N_L} = {@link #layers}.
 *
 * <p>Parameters of one decoder layer (the paper's {@code s_tot}):
 * <pre>
 *   s_attn = d·h·d_h (W_q) + 2·d·h_kv·d_h (W_k, W_v) + h·d_h·d (W_o)   [+ biases when qkvBias]
 *   s_mlp  = 3·d·F (W_gate, W_up, W_down)
 *   s_tot  = s_attn + s_mlp + 2·d (two RMSNorm weight vectors)
 * </pre>
 * Tensor parallelism splits attention by KV groups (each with {@code h/h_kv} query heads) and the MLP by
 * columns of W_gate/W_up (rows of W_down); the norms are replicated on every device.
 *
 * @param id                stable identifier used in files (e.g. {@code llama3-8b})
 * @param displayName       human-readable name
 * @param layers            number of decoder layers N_L
 * @param hiddenSize        model width d
 * @param heads             query heads h
 * @param kvHeads           key/value heads h_kv (GQA groups); divides h
 * @param ffnSize           MLP inner width F
 * @param vocabSize         vocabulary size V
 * @param tiedEmbeddings    whether the LM head shares the token-embedding matrix
 * @param qkvBias           whether q/k/v projections carry biases (Qwen2-style)
 * @param bytesPerParameter storage bytes per weight (2 = fp16/bf16, 4 = fp32, 1 = int8)
 * @param contextTokens     default context length used for KV-cache sizing and attention FLOPs
 * @param ropeTheta         RoPE base frequency
 */
public record ModelSpec(
        String id,
        String displayName,
        int layers,
        int hiddenSize,
        int heads,
        int kvHeads,
        int ffnSize,
        int vocabSize,
        boolean tiedEmbeddings,
        boolean qkvBias,
        double bytesPerParameter,
        int contextTokens,
        double ropeTheta) {

    /** Bytes of one KV-cache element; caches are kept in fp16 on the boards unless the weights are fp32. */
    public double kvBytesPerElement() {
        return bytesPerParameter >= 4 ? 4 : 2;
    }

    /** d_h = d / h. */
    public int headDim() {
        return hiddenSize / heads;
    }

    /** Query heads per KV group, h / h_kv. */
    public int headsPerKvGroup() {
        return heads / kvHeads;
    }

    /** Parameters of the attention block of one layer (projections, biases if any). */
    public long attentionParametersPerLayer() {
        long d = hiddenSize, dh = headDim();
        long q = d * heads * dh;
        long kv = 2 * d * kvHeads * dh;
        long o = (long) heads * dh * d;
        long bias = qkvBias ? (long) heads * dh + 2L * kvHeads * dh : 0;
        return q + kv + o + bias;
    }

    /** Parameters of the MLP block of one layer, 3·d·F. */
    public long mlpParametersPerLayer() {
        return 3L * hiddenSize * ffnSize;
    }

    /** Parameters replicated on every tensor-parallel device per layer (two RMSNorm vectors), 2·d. */
    public long replicatedParametersPerLayer() {
        return 2L * hiddenSize;
    }

    /** s_tot: all parameters of one decoder layer. */
    public long parametersPerLayer() {
        return attentionParametersPerLayer() + mlpParametersPerLayer() + replicatedParametersPerLayer();
    }

    /** Parameters that tensor parallelism splits across devices per layer (everything but the norms). */
    public long splittableParametersPerLayer() {
        return attentionParametersPerLayer() + mlpParametersPerLayer();
    }

    /** Token embedding V·d. */
    public long embeddingParameters() {
        return (long) vocabSize * hiddenSize;
    }

    /** LM head parameters (0 when tied to the embedding). */
    public long headParameters() {
        return tiedEmbeddings ? 0 : (long) vocabSize * hiddenSize;
    }

    /** Embedding + final norm + LM head: what the starter (pipeline) or the server (tensor parallel) holds. */
    public long nonLayerParameters() {
        return embeddingParameters() + headParameters() + hiddenSize;
    }

    /** Total parameter count. */
    public long totalParameters() {
        return (long) layers * parametersPerLayer() + nonLayerParameters();
    }

    /** Weight bytes of one layer. */
    public double bytesPerLayer() {
        return parametersPerLayer() * bytesPerParameter;
    }

    /** Weight bytes of the whole model. */
    public double totalBytes() {
        return totalParameters() * bytesPerParameter;
    }

    /** Weight bytes of embedding + final norm + head. */
    public double nonLayerBytes() {
        return nonLayerParameters() * bytesPerParameter;
    }

    /** KV-cache bytes per token for one layer: 2·h_kv·d_h elements. */
    public double kvBytesPerTokenPerLayer() {
        return 2.0 * kvHeads * headDim() * kvBytesPerElement();
    }

    /** KV-cache bytes per token for the whole model. */
    public double kvBytesPerToken() {
        return layers * kvBytesPerTokenPerLayer();
    }

    /**
     * FLOPs to push one token through the attention block of one layer with {@code attendedTokens}
     * cached positions: 2 FLOPs per projection weight plus scores (Q·Kᵀ) and the weighted sum of V,
     * 2·h·d_h·t each.
     */
    public double attentionFlopsPerToken(int attendedTokens) {
        return 2.0 * attentionParametersPerLayer() + 4.0 * heads * headDim() * (double) attendedTokens;
    }

    /** FLOPs to push one token through the MLP block of one layer, 2·3·d·F. */
    public double mlpFlopsPerToken() {
        return 2.0 * mlpParametersPerLayer();
    }

    /** FLOPs per token per decoder layer at {@code attendedTokens} cached positions (norms ignored: O(d)). */
    public double flopsPerTokenPerLayer(int attendedTokens) {
        return attentionFlopsPerToken(attendedTokens) + mlpFlopsPerToken();
    }

    /**
     * Bytes read from memory to push one token through the attention block of one layer: its weights and
     * the KV cache of {@code attendedTokens} positions (decoding streams both once per token).
     */
    public double attentionBytesPerToken(int attendedTokens) {
        return attentionParametersPerLayer() * bytesPerParameter + attendedTokens * kvBytesPerTokenPerLayer();
    }

    /** Bytes read to push one token through the MLP block of one layer: its weights. */
    public double mlpBytesPerToken() {
        return mlpParametersPerLayer() * bytesPerParameter;
    }

    /** Bytes read by the LM head per token (V·d weights, tied or not). */
    public double headBytesPerToken() {
        return (double) vocabSize * hiddenSize * bytesPerParameter;
    }

    /** FLOPs per token of the LM head (2·V·d); the embedding is a lookup. */
    public double headFlopsPerToken() {
        return 2.0 * vocabSize * hiddenSize;
    }

    /** Real values in one all-reduce payload per token: the hidden state, d. */
    public int allReduceValuesPerToken() {
        return hiddenSize;
    }

    /** L0: complex channel symbols per all-reduce per token, two reals per symbol, ceil(d/2). */
    public int allReduceSymbolsPerToken() {
        return (hiddenSize + 1) / 2;
    }

    /** Returns a copy with another storage precision. */
    public ModelSpec withBytesPerParameter(double bytes) {
        return new ModelSpec(id, displayName, layers, hiddenSize, heads, kvHeads, ffnSize, vocabSize,
                tiedEmbeddings, qkvBias, bytes, contextTokens, ropeTheta);
    }

    /** Returns a copy with another context length. */
    public ModelSpec withContextTokens(int tokens) {
        return new ModelSpec(id, displayName, layers, hiddenSize, heads, kvHeads, ffnSize, vocabSize,
                tiedEmbeddings, qkvBias, bytesPerParameter, tokens, ropeTheta);
    }
}
