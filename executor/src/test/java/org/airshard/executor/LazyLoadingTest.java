package org.airshard.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.airshard.executor.model.Checkpoint;
import org.airshard.executor.model.DType;
import org.airshard.executor.model.TensorInfo;
import org.airshard.executor.model.TensorStore;
import org.airshard.executor.shard.ShardGraphs;
import org.airshard.executor.shard.ShardSpec;
import org.airshard.planner.io.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Building a shard reads only that shard's tensors (and for row slices only those rows). */
class LazyLoadingTest {

    @TempDir
    Path tmp;

    static final class RecordingStore implements TensorStore {
        final TensorStore inner;
        final Set<String> read = new TreeSet<>();
        long elements;

        RecordingStore(TensorStore inner) {
            this.inner = inner;
        }

        @Override
        public boolean has(String name) {
            return inner.has(name);
        }

        @Override
        public TensorInfo info(String name) throws InputException {
            return inner.info(name);
        }

        @Override
        public Set<String> names() {
            return inner.names();
        }

        @Override
        public float[] readRows(String name, int rowStart, int rowEnd) throws InputException {
            read.add(name);
            float[] v = inner.readRows(name, rowStart, rowEnd);
            elements += v.length;
            return v;
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void middleStageReadsOnlyItsLayers() throws Exception {
        for (Path p : new Path[] {TestModels.hf(tmp, TestModels.tiny(), DType.F32), TestModels.gguf(tmp, TestModels.tiny(), DType.F16)}) {
            try (Checkpoint ck = Checkpoint.open(p)) {
                RecordingStore rec = new RecordingStore(ck.store());
                Checkpoint view = Checkpoint.of(p, ck.format(), ck.config(), rec, null, null);
                ShardGraphs.stage(view, ShardSpec.stage(ck.config(), 2, 4, false, false));
                assertEquals(18, rec.read.size(), rec.read.toString());
                assertTrue(rec.read.stream().allMatch(n -> n.startsWith("model.layers.2.") || n.startsWith("model.layers.3.")),
                        rec.read.toString());
            }
        }
    }

    @Test
    void tensorSliceReadsOnlyItsRowsOfRowSplitWeights() throws Exception {
        try (Checkpoint ck = Checkpoint.open(TestModels.gguf(tmp, TestModels.tiny(), DType.F32))) {
            RecordingStore rec = new RecordingStore(ck.store());
            Checkpoint view = Checkpoint.of(ck.source(), ck.format(), ck.config(), rec, null, null);
            ShardGraphs.mlpBlock(view, 1, 0, 48);
            // norm 64 + gate/up rows 2·48·64 + whole down 64·192 (column slice is cut after reading)
            assertEquals(64 + 2 * 48 * 64 + 64 * 192, rec.elements);
        }
    }
}
