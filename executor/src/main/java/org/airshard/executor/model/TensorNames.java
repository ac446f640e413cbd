package org.airshard.executor.model;

/** Hugging Face tensor names of a LLaMA-family decoder, the canonical names used everywhere in AirShard. */
public final class TensorNames {
    public static final String EMBED = "model.embed_tokens.weight";
    public static final String FINAL_NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";

    private TensorNames() {
    }

    public static String layer(int l, String suffix) {
        return "model.layers." + l + "." + suffix;
    }

    public static String attnNorm(int l) {
        return layer(l, "input_layernorm.weight");
    }

    public static String mlpNorm(int l) {
        return layer(l, "post_attention_layernorm.weight");
    }

    public static String q(int l) {
        return layer(l, "self_attn.q_proj.weight");
    }

    public static String k(int l) {
        return layer(l, "self_attn.k_proj.weight");
    }

    public static String v(int l) {
        return layer(l, "self_attn.v_proj.weight");
    }

    public static String o(int l) {
        return layer(l, "self_attn.o_proj.weight");
    }

    public static String qBias(int l) {
        return layer(l, "self_attn.q_proj.bias");
    }

    public static String kBias(int l) {
        return layer(l, "self_attn.k_proj.bias");
    }

    public static String vBias(int l) {
        return layer(l, "self_attn.v_proj.bias");
    }

    public static String gate(int l) {
        return layer(l, "mlp.gate_proj.weight");
    }

    public static String up(int l) {
        return layer(l, "mlp.up_proj.weight");
    }

    public static String down(int l) {
        return layer(l, "mlp.down_proj.weight");
    }

    /** GGUF name for an HF name, or null when GGUF has no equivalent. */
    public static String toGguf(String hf) {
        switch (hf) {
            case EMBED: return "token_embd.weight";
            case FINAL_NORM: return "output_norm.weight";
            case LM_HEAD: return "output.weight";
            default: break;
        }
        if (!hf.startsWith("model.layers.")) {
            return null;
        }
        String rest = hf.substring("model.layers.".length());
        int dot = rest.indexOf('.');
        String l = rest.substring(0, dot);
        String s = rest.substring(dot + 1);
        String g;
        switch (s) {
            case "input_layernorm.weight": g = "attn_norm.weight"; break;
            case "post_attention_layernorm.weight": g = "ffn_norm.weight"; break;
            case "self_attn.q_proj.weight": g = "attn_q.weight"; break;
            case "self_attn.k_proj.weight": g = "attn_k.weight"; break;
            case "self_attn.v_proj.weight": g = "attn_v.weight"; break;
            case "self_attn.o_proj.weight": g = "attn_output.weight"; break;
            case "self_attn.q_proj.bias": g = "attn_q.bias"; break;
            case "self_attn.k_proj.bias": g = "attn_k.bias"; break;
            case "self_attn.v_proj.bias": g = "attn_v.bias"; break;
            case "mlp.gate_proj.weight": g = "ffn_gate.weight"; break;
            case "mlp.up_proj.weight": g = "ffn_up.weight"; break;
            case "mlp.down_proj.weight": g = "ffn_down.weight"; break;
            default: return null;
        }
        return "blk." + l + "." + g;
    }
}
