package org.airshard.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.airshard.executor.board.BoardFailure;
import org.airshard.executor.board.ChromeTrace;
import org.airshard.executor.board.RunListener;
import org.airshard.executor.board.RunLogic;
import org.airshard.planner.io.InputException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code airshard run --model M --boards HOST:PORT,... --mode pipeline|tensor ... --max-tokens N}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        header = "Generate on board agents: a pipeline ring or tensor parallel with exact or AirComp all-reduce.",
        description = {"Generate on board agents: a pipeline ring (this process embeds, samples and holds the head;",
                "S sequences in flight) or tensor parallel (this process broadcasts block inputs and sums the",
                "boards' partial outputs exactly or by emulated AirComp). With --json stdout is one object:",
                "sequences, tokensPerSecond (generation only), per-board statistics, AirComp MSE."})
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "PATH", description = "Hugging Face directory or GGUF file.")
    Path model;

    @Option(names = "--boards", split = ",", paramLabel = "HOST:PORT", description = "Board agents in plan order.")
    List<String> boards;

    @Option(names = "--mode", paramLabel = "MODE", description = "pipeline or tensor (default: the plan's, else pipeline).")
    String mode;

    @Option(names = "--allreduce", paramLabel = "KIND", description = "Tensor mode: exact (default) or aircomp.")
    String allReduce;

    @Option(names = "--plan", paramLabel = "FILE", description = "Plan file (default: equal split over the boards).")
    Path plan;

    @Option(names = "--topology", paramLabel = "FILE", description = "Topology: board addresses when --boards is omitted.")
    Path topology;

    @Option(names = "--samples", defaultValue = "1", paramLabel = "S", description = "Sequences in flight (default ${DEFAULT-VALUE}).")
    int samples;

    static final class PromptChoice {
        @Option(names = "--prompt", paramLabel = "TEXT", description = "Prompt text.")
        String prompt;

        @Option(names = "--prompt-ids", paramLabel = "IDS", description = "Comma-separated token ids, literal.")
        String promptIds;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    PromptChoice promptChoice;

    @Option(names = "--max-tokens", required = true, paramLabel = "N", description = "Tokens per sequence.")
    int maxTokens;

    @Option(names = "--greedy", description = "Argmax decoding (default: sampling).")
    boolean greedy;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "Sampling seed (sequence i uses seed + i).")
    long seed;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--trace", paramLabel = "FILE", description = "Write a Chrome trace (open in ui.perfetto.dev).")
    Path trace;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Pairing token (default: $AIRSHARD_TOKEN).")
    Path tokenFile;

    @Option(names = "--known-boards", paramLabel = "FILE", description = "Certificate pins (default ~/.airshard/known-boards).")
    Path knownBoards;

    @Option(names = "--compute-scale", split = ",", paramLabel = "X", description = "Emulated board speed in (0,1]: one value or one per board.")
    List<Double> computeScale;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N", description = "ONNX Runtime threads per board (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--context", defaultValue = "2048", paramLabel = "TOKENS", description = "KV capacity per sequence (default ${DEFAULT-VALUE}).")
    int context;

    @Option(names = "--eval-text", paramLabel = "FILE", description = "Tensor mode: perplexity of this text, exact and (with aircomp) over the air.")
    Path evalText;

    @Option(names = "--replan", description = "When a board is lost mid-run, re-partition onto the remaining boards "
            + "(pipeline: the planner's partitioner with --topology, else equal ranges; tensor with --allreduce exact: equal "
            + "KV-group / FFN slices), redeploy and resume every sequence.")
    boolean replan;

    @Option(names = "--no-ring", description = "Pipeline: route every hop through the coordinator (star) instead of the "
            + "direct board-to-board ring.")
    boolean noRing;

    @Mixin
    VerboseOption verbose;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InputException, IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ChromeTrace tr = trace != null ? new ChromeTrace() : null;
        RunListener stream = new RunListener() {
            @Override
            public void token(int seq, int index, int token, String text) {
                if (!json && seq == 0) {
                    synchronized (out) {
                        out.print(text);
                        out.flush();
                    }
                }
            }
        };
        RunListener l = tr != null ? RunListener.all(stream, tr) : stream;
        RunLogic.Request req = new RunLogic.Request(model, boards, mode, allReduce, plan, topology, samples,
                promptChoice.prompt, promptChoice.promptIds, maxTokens, greedy, seed, tokenFile,
                computeScale == null ? List.of() : new ArrayList<>(computeScale), threads, context, knownBoards, evalText, replan, !noRing);
        Map<String, Object> rep;
        try {
            rep = RunLogic.run(req, l, msg -> {
                err.println("airshard: " + msg);
                err.flush();
            });
        } catch (BoardFailure e) {
            throw new IOException(e.getMessage(), e);
        }
        if (tr != null) {
            tr.write(trace);
        }
        if (json) {
            out.println(RunLogic.json(rep));
        } else {
            out.println();
            err.printf(Locale.ROOT, "%s: %.1f tokens/s over %d sequence(s), set-up %.2f s%n", rep.get("mode"),
                    (Double) rep.get("tokensPerSecond"), samples, (Double) rep.get("setupSeconds"));
            if (rep.get("replans") instanceof List<?> rs) {
                for (Object o : rs) {
                    Map<?, ?> q = (Map<?, ?>) o;
                    err.printf(Locale.ROOT, "re-planned at token %s after losing %s: %s%n", q.get("tokenIndex"), q.get("lostBoard"),
                            q.get("ranges"));
                }
            }
            if (rep.containsKey("measuredMse")) {
                err.printf(Locale.ROOT, "AirComp all-reduce MSE: measured %.4g, predicted %.4g%n", rep.get("measuredMse"), rep.get("predictedMse"));
            }
        }
        out.flush();
        return AirshardCli.EXIT_OK;
    }
}
