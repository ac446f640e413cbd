package org.airshard.executor.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.airshard.executor.generate.SamplingOptions;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.DType;
import org.airshard.executor.model.ModelConfig;
import org.airshard.executor.model.SyntheticCheckpoint;
import org.airshard.executor.shard.ShardSpec;
import org.airshard.planner.model.ModelPresets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AirComp emulation: measured all-reduce MSE matches the optimizer's prediction within 5% over ≥ 1000 all-reduces. */
class AirCompRunTest {

    static final double RELATIVE_TOLERANCE = 0.05;

    @TempDir
    Path tmp;

    @Test
    void emulatorMatchesPredictionOnRandomPartials() throws Exception {
        AirCompEmulator e = AirCompEmulator.designed(3, 32, 4, 7);
        Random r = new Random(1);
        for (int k = 0; k < 2000; k++) {
            float[][] p = new float[3][64];
            for (float[] row : p) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = (float) (r.nextGaussian() * 3 + 0.5);
                }
            }
            e.allReduce(p);
        }
        double rel = Math.abs(e.measuredMse() / e.predictedMse() - 1);
        assertTrue(rel < RELATIVE_TOLERANCE, "measured " + e.measuredMse() + " predicted " + e.predictedMse());
    }

    @Test
    @Tag("network")
    @Tag("slow")
    void tensorRunWithAirCompReportsMeasuredMseNearPredicted() throws Exception {
        Path model = tmp.resolve("tiny");
        ModelConfig c = ModelConfig.fromSpec(ModelPresets.byId("synthetic-tiny").orElseThrow());
        SyntheticCheckpoint.write(c, 42, SyntheticCheckpoint.Format.HF, DType.F32, model, 1);
        List<BoardAgent> agents = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                agents.add(new BoardAgent(BoardAgent.Options.loopback("a" + i, "t", tmp.resolve("a" + i))));
            }
            List<ShardSpec> shards = List.of(ShardSpec.tensorSlice(c, 0, 2), ShardSpec.tensorSlice(c, 1, 2));
            try (Checkpoint ck = Checkpoint.open(model);
                 DistributedRun run = new DistributedRun(ck, List.of("127.0.0.1:" + agents.get(0).port(),
                         "127.0.0.1:" + agents.get(1).port()), shards,
                         DistributedRun.Options.of(DistributedRun.Mode.TENSOR, 1).withAircomp(true), "t", KnownBoards.inMemory(), null)) {
                run.setUp();
                DistributedRun.Result r = run.generate(new int[] {1, 2, 3}, SamplingOptions.greedy(100));
                assertEquals(100, r.sequences().get(0).tokens().size());
                assertTrue(r.allReduces() >= 1000, "all-reduces " + r.allReduces());
                double rel = Math.abs(r.measuredMse() / r.predictedMse() - 1);
                assertTrue(rel < RELATIVE_TOLERANCE, "measured " + r.measuredMse() + " predicted " + r.predictedMse());
                assertTrue(r.top1Agreement() > 0 && r.top1Agreement() <= 1, "top-1 " + r.top1Agreement());
                assertTrue(r.klDivergence() >= 0 && Double.isFinite(r.klDivergence()), "KL " + r.klDivergence());
            }
        } finally {
            agents.forEach(BoardAgent::close);
        }
    }
}
