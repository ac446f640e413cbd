package org.airshard.executor.board;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.airshard.executor.model.TensorStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Content check, chunked writes, LRU eviction above the limit (never tensors in use), sliced views. */
class TensorCacheTest {

    static byte[] le(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    @Test
    void chunkedWriteVerifiesContentAndEvictsLeastRecentlyUsed(@TempDir Path dir) throws Exception {
        TensorCache c = new TensorCache(dir, 100);
        long[] shape = {4, 4};
        String[] h = new String[3];
        for (int k = 0; k < 3; k++) {
            float[] v = new float[16];
            java.util.Arrays.fill(v, k + 1);
            byte[] b = le(v);
            h[k] = TensorCache.hash(shape, b);
            assertFalse(c.write(h[k], shape, b.length, 0, java.util.Arrays.copyOfRange(b, 0, 32)));
            assertTrue(c.write(h[k], shape, b.length, 32, java.util.Arrays.copyOfRange(b, 32, 64)));
            Thread.sleep(20);
        }
        byte[] wrong = le(new float[16]);
        assertThrows(IllegalArgumentException.class, () -> c.write(h[0].replace('a', 'b').replace('0', '1'), shape, 64, 0, wrong));
        c.touchAndEvict(Set.of(h[0]));
        assertTrue(c.has(h[0]), "in use: kept");
        assertFalse(c.has(h[1]), "least recently used: evicted");
        assertTrue(c.sizeBytes() <= 128);
    }

    @Test
    void slicedViewsReadAtFullShape(@TempDir Path dir) throws Exception {
        TensorCache c = new TensorCache(dir, 1 << 20);
        // a 3x4 tensor of which this board holds columns [1, 3)
        byte[] cols = le(1, 2, 3, 4, 5, 6);
        String hc = TensorCache.hash(new long[] {3, 2}, cols);
        c.write(hc, new long[] {3, 2}, cols.length, 0, cols);
        // and rows [2, 4) of a 5x2 tensor
        byte[] rows = le(7, 8, 9, 10);
        String hr = TensorCache.hash(new long[] {2, 2}, rows);
        c.write(hr, new long[] {2, 2}, rows.length, 0, rows);
        TensorStore s = c.store(Map.of(
                "o", new TensorCache.Part(new long[] {3, 2}, new long[] {3, 4}, 0, 1, hc),
                "q", new TensorCache.Part(new long[] {2, 2}, new long[] {5, 2}, 2, 0, hr)));
        assertArrayEquals(new float[] {0, 1, 2, 0, 0, 3, 4, 0, 0, 5, 6, 0}, s.read("o"));
        assertArrayEquals(new float[] {7, 8, 9, 10}, s.readRows("q", 2, 4));
        assertArrayEquals(new float[] {0, 0, 7, 8}, s.readRows("q", 1, 3));
    }
}
