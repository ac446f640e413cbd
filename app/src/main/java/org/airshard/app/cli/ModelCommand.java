package org.airshard.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.airshard.executor.cli.SynthCommandLogic;
import org.airshard.planner.io.InputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code airshard model ...}: model utilities. */
@Command(name = "model", mixinStandardHelpOptions = true, description = "Model utilities (synthetic checkpoints).",
        subcommands = {ModelCommand.Synth.class})
public final class ModelCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code airshard model synth --shape tiny|small --seed N --format hf|gguf --out PATH}. */
    @Command(name = "synth", mixinStandardHelpOptions = true,
            description = {"Write a seeded synthetic LLaMA-architecture checkpoint with a tokenizer.",
                    "Random weights: its text is meaningless; it exercises loaders, shards and runs without",
                    "downloading anything. tiny ≈ 1 MB (d 64, 5 layers), small ≈ 100 MB (d 288, 6 layers, vocab 32000)."})
    public static final class Synth implements Callable<Integer> {

        @Option(names = "--shape", required = true, paramLabel = "tiny|small", description = "Model shape.")
        String shape;

        @Option(names = "--seed", defaultValue = "1", paramLabel = "N", description = "Weights seed (default ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--format", defaultValue = "hf", paramLabel = "hf|gguf",
                description = "hf: a Hugging Face directory (config.json, model.safetensors, tokenizer.json); gguf: one file.")
        String format;

        @Option(names = "--dtype", defaultValue = "f32", paramLabel = "TYPE", description = "f32 (default), f16, bf16; q8_0 for gguf.")
        String dtype;

        @Option(names = "--shards", defaultValue = "1", paramLabel = "N", description = "safetensors files for hf (sharded index when > 1).")
        int shards;

        @Option(names = "--out", required = true, paramLabel = "PATH", description = "Output directory (hf) or file (gguf).")
        Path out;

        @Option(names = "--json", description = "Print a JSON summary.")
        boolean json;

        @Mixin
        VerboseOption verbose;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws InputException, IOException {
            Path target = out.toAbsolutePath();
            boolean gguf = "gguf".equalsIgnoreCase(format);
            if (gguf && Files.isDirectory(target)) {
                target = target.resolve("model.gguf");
            }
            if (!gguf && Files.exists(target) && !Files.isDirectory(target)) {
                throw new InputException(target.toString(), "", "exists and is not a directory");
            }
            if (!gguf && Files.isDirectory(target)) {
                try (Stream<Path> s = Files.list(target)) {
                    if (s.findAny().isPresent()) {
                        throw new InputException(target.toString(), "", "directory is not empty; choose a new --out");
                    }
                }
            }
            Files.createDirectories(target.getParent());
            // write next to the target, then move: never a half-written checkpoint
            Path tmp = target.resolveSibling("." + target.getFileName() + ".partial-" + ProcessHandle.current().pid());
            SynthCommandLogic.Result r;
            try {
                r = SynthCommandLogic.run(new SynthCommandLogic.Options(shape, seed, format, tmp, dtype, shards));
                if (!gguf && Files.isDirectory(target)) {
                    Files.delete(target); // empty, checked above
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target);
                }
            } finally {
                deleteRecursively(tmp);
            }
            PrintWriter w = spec.commandLine().getOut();
            if (json) {
                w.println(SynthCommandLogic.toJson(new SynthCommandLogic.Result(target, r.format(), r.shape(), r.dtype(),
                        r.seed(), r.config(), r.bytes(), r.seconds())));
            } else {
                w.printf(Locale.ROOT, "wrote synthetic %s model (%s, %s, seed %d, %.1f MB) to %s%n", r.shape(), r.format(),
                        r.dtype().toLowerCase(Locale.ROOT), r.seed(), r.bytes() / 1e6, target);
                w.println("note: random weights; its text is meaningless");
            }
            w.flush();
            return AirshardCli.EXIT_OK;
        }

        private static void deleteRecursively(Path p) throws IOException {
            if (!Files.exists(p)) {
                return;
            }
            try (Stream<Path> s = Files.walk(p)) {
                for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(q);
                }
            }
        }
    }
}
