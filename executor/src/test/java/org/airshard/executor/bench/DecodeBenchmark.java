package org.airshard.executor.bench;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.CacheType;
import de.kherud.llama.args.LogFormat;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.airshard.executor.generate.GenerationResult;
import org.airshard.executor.generate.Generator;
import org.airshard.executor.generate.SamplingOptions;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.DType;
import org.airshard.executor.model.ModelConfig;
import org.airshard.executor.model.SyntheticCheckpoint;
import org.airshard.executor.runtime.ModelRunner;
import org.airshard.executor.runtime.PipelineRunner;
import org.airshard.executor.runtime.RuntimeOptions;
import org.airshard.executor.runtime.TensorParallelRunner;
import org.airshard.executor.shard.ShardSpec;
import org.airshard.planner.model.ModelPresets;

/**
 * Single-process decode speed of AirShard (ONNX Runtime) vs llama.cpp on the same synthetic small GGUF (fp32),
 * same thread count, same process, interleaved repetitions. Prints one line per configuration, then a JSON line.
 * Usage: {@code DecodeBenchmark [threads] [decodeTokens] [reps]}.
 */
public final class DecodeBenchmark {

    private DecodeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int decode = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Path dir = Files.createTempDirectory("airshard-bench");
        ModelConfig cfg = ModelConfig.fromSpec(ModelPresets.byId("synthetic-small").orElseThrow()).withContextTokensFor(512);
        Path gguf = dir.resolve("small.gguf");
        SyntheticCheckpoint.write(cfg, 42, SyntheticCheckpoint.Format.GGUF, DType.F32, gguf, 1);
        int[] prompt = new int[32];
        prompt[0] = 1;
        for (int i = 1; i < prompt.length; i++) {
            prompt[i] = 100 + 37 * i;
        }
        LlamaModel.setLogger(LogFormat.TEXT, (l, m) -> { });
        long start = System.nanoTime();
        RuntimeOptions ro = new RuntimeOptions(threads, false, 512);
        List<double[]> ours = new ArrayList<>(), tp2 = new ArrayList<>(), pp2 = new ArrayList<>(), theirs = new ArrayList<>();
        int runCalls;
        try (Checkpoint ck = Checkpoint.open(gguf);
             ModelRunner whole = new PipelineRunner(ck, List.of(ShardSpec.whole(ck.config())), ro);
             ModelRunner stages = new PipelineRunner(ck, ShardSpec.pipeline(ck.config(), 2), ro);
             ModelRunner slices = new TensorParallelRunner(ck, List.of(ShardSpec.tensorSlice(ck.config(), 0, 2),
                     ShardSpec.tensorSlice(ck.config(), 1, 2)), ro);
             LlamaModel llama = new LlamaModel(new ModelParameters().setModel(gguf.toString()).setCtxSize(512)
                     .setThreads(threads).setThreadsBatch(threads).setGpuLayers(0).setCacheTypeK(CacheType.F32)
                     .setCacheTypeV(CacheType.F32).disableLog())) {
            runCalls = whole.runCallsPerToken();
            System.err.println("warm-up airshard");
            measure(whole, prompt, 16);
            measure(stages, prompt, 16);
            measure(slices, prompt, 16);
            System.err.println("warm-up llama.cpp");
            llamaRun(llama, prompt, 16);
            System.err.println("measuring");
            for (int r = 0; r < reps; r++) {
                ours.add(measure(whole, prompt, decode));
                pp2.add(measure(stages, prompt, decode));
                tp2.add(measure(slices, prompt, decode));
                double t1 = llamaRun(llama, prompt, 1);
                double tn = llamaRun(llama, prompt, decode + 1);
                theirs.add(new double[] {prompt.length / t1, decode / (tn - t1)});
                System.err.printf("rep %d done at %.1f s%n", r, (System.nanoTime() - start) / 1e9);
            }
            double oursDecode = median(ours, 1), llamaDecode = median(theirs, 1);
            System.out.printf("model synthetic-small fp32 (dim 288, 6 layers, vocab 32000), threads %d, prompt %d, decode %d, reps %d%n",
                    threads, prompt.length, decode, reps);
            System.out.printf("airshard whole model : prefill %.0f tok/s, decode %.1f tok/s, run calls/token %d%n",
                    median(ours, 0), oursDecode, runCalls);
            System.out.printf("airshard 2 stages    : prefill %.0f tok/s, decode %.1f tok/s%n", median(pp2, 0), median(pp2, 1));
            System.out.printf("airshard 2 TP slices : prefill %.0f tok/s, decode %.1f tok/s (in one process, Java all-reduce)%n",
                    median(tp2, 0), median(tp2, 1));
            System.out.printf("llama.cpp            : prefill %.0f tok/s, decode %.1f tok/s (server API, n_predict difference)%n",
                    median(theirs, 0), llamaDecode);
            System.out.printf("decode ratio llama.cpp / airshard = %.2f%n", llamaDecode / oursDecode);

            System.out.flush();
            // llama.cpp's server thread can take minutes to shut down; the numbers are printed, so leave now
            Runtime.getRuntime().halt(0);
        }
    }

    /** Returns {prefill tok/s, decode tok/s}. */
    static double[] measure(ModelRunner runner, int[] prompt, int decode) throws Exception {
        GenerationResult r = new Generator(runner, null).generate(prompt, SamplingOptions.greedy(decode + 1), null);
        return new double[] {r.prefillTokensPerSecond(), r.decodeTokensPerSecond()};
    }

    @SuppressWarnings("unchecked")
    static double llamaRun(LlamaModel llama, int[] prompt, int n) throws Exception {
        InferenceParameters ip = new InferenceParameters("").setNPredict(n).setTemperature(0f).setTopK(1)
                .setIgnoreEos(true).setCachePrompt(false);
        Field f = ip.getClass().getSuperclass().getDeclaredField("parameters");
        f.setAccessible(true);
        ((Map<String, String>) f.get(ip)).put("prompt", Arrays.toString(prompt).replace(" ", ""));
        long t0 = System.nanoTime();
        llama.complete(ip);
        return (System.nanoTime() - t0) / 1e9;
    }

    static double median(List<double[]> xs, int k) {
        double[] v = xs.stream().mapToDouble(a -> a[k]).sorted().toArray();
        return v[v.length / 2];
    }
}
