package org.airshard.executor.board;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;

/**
 * Netty select strategy of the agent's data thread: after it has been busy it keeps polling the sockets
 * (non-blocking epoll, yielding the CPU between polls) for up to {@code spinMicros} before it blocks.
 *
 * <p>Why: a pipeline step arrives a few ms after the board sent its previous one. A thread blocked in
 * {@code epoll_wait} then needs a wake-up, which on a virtual machine with idle vCPUs costs hundreds of µs
 * per hop (measured: docs/benchmarks.md, "Boards"), more than the hop itself. Polling for a bounded window keeps
 * the hop near the socket's own latency; {@link Thread#yield()} between polls gives the core to any other
 * runnable thread (another board process on the same machine). With {@code spinMicros = 0} the thread blocks
 * at once (Netty's default).
 */
final class SpinThenBlock implements SelectStrategy {

    private final long spinNanos;
    private boolean busy = true;
    private long idleSince = System.nanoTime();

    SpinThenBlock(long spinMicros) {
        this.spinNanos = Math.max(0, spinMicros) * 1000;
    }

    static SelectStrategyFactory factory(long spinMicros) {
        return () -> new SpinThenBlock(spinMicros);
    }

    @Override
    public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
        if (spinNanos == 0) {
            return hasTasks ? selectNow.get() : SelectStrategy.SELECT;
        }
        int ready = selectNow.get();
        if (ready > 0 || hasTasks) {
            busy = true;
            return ready;
        }
        long now = System.nanoTime();
        if (busy) {
            busy = false;
            idleSince = now;
        }
        if (now - idleSince < spinNanos) {
            Thread.yield();
            return SelectStrategy.CONTINUE;
        }
        return SelectStrategy.SELECT;
    }
}
