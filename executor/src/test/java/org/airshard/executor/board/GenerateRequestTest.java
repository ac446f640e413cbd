package org.airshard.executor.board;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.airshard.executor.generate.SamplingOptions;
import org.junit.jupiter.api.Test;

class GenerateRequestTest {

    static final GenerateRequest SAMPLE = new GenerateRequest(new int[] {1, 200, 13}, 4, 512,
            new SamplingOptions(0.8, 40, 0.95, -7L, 100, List.of(2, 31999)));

    @Test
    void roundTripKeepsEveryField() {
        GenerateRequest r = GenerateRequest.decode(SAMPLE.encode());
        assertArrayEquals(SAMPLE.tokens(), r.tokens());
        assertEquals(SAMPLE.generated(), r.generated());
        assertEquals(SAMPLE.capacity(), r.capacity());
        assertEquals(SAMPLE.sampling(), r.sampling());
    }

    @Test
    void truncatedOrPaddedPayloadsAreRefusedWithOneMessage() {
        byte[] ok = SAMPLE.encode();
        for (int cut = 0; cut < ok.length; cut++) {
            byte[] p = Arrays.copyOf(ok, cut);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GenerateRequest.decode(p), "cut " + cut);
            assertTrue(e.getMessage().startsWith("generate request"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> GenerateRequest.decode(Arrays.copyOf(ok, ok.length + 4)));
    }

    @Test
    void hugeCountsAndBadOptionsAreRefused() {
        byte[] huge = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(Integer.MAX_VALUE).putInt(0).array();
        assertThrows(IllegalArgumentException.class, () -> GenerateRequest.decode(huge));
        ByteBuffer b = ByteBuffer.wrap(SAMPLE.encode()).order(ByteOrder.LITTLE_ENDIAN);
        int temperatureAt = 4 + 4 * 3 + 8;
        b.putDouble(temperatureAt, -1);
        assertThrows(IllegalArgumentException.class, () -> GenerateRequest.decode(b.array()));
        assertThrows(IllegalArgumentException.class, () -> new GenerateRequest(new int[0], 0, 8, SamplingOptions.greedy(1)));
        assertThrows(IllegalArgumentException.class, () -> new GenerateRequest(new int[9], 0, 8, SamplingOptions.greedy(1)));
        assertThrows(IllegalArgumentException.class, () -> new GenerateRequest(new int[] {1}, 5, 8, SamplingOptions.greedy(4)));
    }
}
