package org.airshard.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.airshard.executor.cli.GenerateRunner;
import org.airshard.planner.io.InputException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code airshard generate --model PATH (--prompt TEXT | --prompt-ids 1,2,3) --max-tokens N [--greedy] [--json]}. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generate text in one process (the reference for distributed runs).",
                "Tokens stream to stdout as they come; with --json, stdout is one JSON object: tokens, text",
                "(continuation only), promptTokens, tokensPerSecond (generation only, load excluded),",
                "prefill and decode rates apart, runCallsPerToken."})
public final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "PATH", description = "Hugging Face directory or GGUF file.")
    Path model;

    static final class PromptChoice {
        @Option(names = "--prompt", paramLabel = "TEXT", description = "Prompt text (tokenized; BOS added when the vocabulary has one).")
        String prompt;

        @Option(names = "--prompt-ids", paramLabel = "IDS", description = "Comma-separated token ids, taken literally (no BOS).")
        String promptIds;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    PromptChoice promptChoice;

    @Option(names = "--max-tokens", required = true, paramLabel = "N", description = "Tokens to generate.")
    int maxTokens;

    @Option(names = "--greedy", description = "Argmax decoding (default: sampling).")
    boolean greedy;

    @Option(names = "--temperature", defaultValue = "0.8", paramLabel = "T", description = "Sampling temperature (default ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", defaultValue = "40", paramLabel = "K", description = "Top-k, 0 = off (default ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", defaultValue = "0.95", paramLabel = "P", description = "Top-p, 1 = off (default ${DEFAULT-VALUE}).")
    double topP;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "Sampling seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-stop", description = "Do not stop at the end-of-sequence token.")
    boolean noStop;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N", description = "ONNX Runtime intra-op threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--context", defaultValue = "2048", paramLabel = "TOKENS", description = "KV-cache capacity (default ${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--json", description = "Print one JSON object instead of streaming text.")
    boolean json;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InputException {
        PrintWriter out = spec.commandLine().getOut();
        GenerateRunner.Options o = new GenerateRunner.Options(model, promptChoice.prompt, promptChoice.promptIds, maxTokens,
                greedy, temperature, topK, topP, seed, !noStop, threads, context);
        GenerateRunner.Report rep = GenerateRunner.run(o, json ? null : (index, token, text) -> {
            out.print(text);
            out.flush();
        });
        if (json) {
            out.println(GenerateRunner.toJson(rep));
        } else {
            out.println();
            PrintWriter err = spec.commandLine().getErr();
            var r = rep.result();
            err.printf(Locale.ROOT, "%d tokens, %.1f tokens/s (prefill %.1f, decode %.1f tokens/s), load %.2f s, %s%n",
                    r.tokens().size(), r.tokensPerSecond(), r.prefillTokensPerSecond(), r.decodeTokensPerSecond(),
                    rep.loadSeconds(), r.stopReason());
            if (rep.synthetic()) {
                err.println("note: synthetic random weights; the text is meaningless");
            }
            err.flush();
        }
        out.flush();
        return AirshardCli.EXIT_OK;
    }
}
