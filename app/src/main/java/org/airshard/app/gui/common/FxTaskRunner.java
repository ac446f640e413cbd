package org.airshard.app.gui.common;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javafx.application.Platform;

/**
 * Background work on a small bounded pool (daemon threads, bounded queue; a full queue rejects new work
 * with a failure callback rather than piling up), results delivered with {@link Platform#runLater}.
 */
public final class FxTaskRunner implements TaskRunner {

    private static final Logger LOG = Logger.getLogger(FxTaskRunner.class.getName());
    private static final int QUEUE_CAPACITY = 64;

    private final ThreadPoolExecutor pool;

    public FxTaskRunner(int threads) {
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE_CAPACITY),
                r -> {
                    Thread t = new Thread(r, "airshard-gui-worker-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    @Override
    public <T> Cancellable submit(String name, Callable<T> work, Consumer<? super T> onSuccess,
                                  Consumer<? super Throwable> onFailure) {
        final Future<?>[] holder = new Future<?>[1];
        final boolean[] cancelled = new boolean[1];
        Runnable job = () -> {
            try {
                T result = work.call();
                Platform.runLater(() -> {
                    if (!cancelled[0]) {
                        onSuccess.accept(result);
                    }
                });
            } catch (Exception | Error e) {
                if (!(e instanceof Exception)) {
                    LOG.log(Level.SEVERE, "task '" + name + "' failed", e);
                }
                Platform.runLater(() -> {
                    if (!cancelled[0]) {
                        onFailure.accept(e);
                    }
                });
            }
        };
        try {
            holder[0] = pool.submit(job);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            Platform.runLater(() -> onFailure.accept(new IllegalStateException("too much background work queued; try again")));
            return new Cancellable() {
                @Override
                public void cancel() {
                }

                @Override
                public boolean isDone() {
                    return true;
                }
            };
        }
        return new Cancellable() {
            @Override
            public void cancel() {
                cancelled[0] = true;
                holder[0].cancel(true);
            }

            @Override
            public boolean isDone() {
                return holder[0].isDone();
            }
        };
    }

    @Override
    public void runOnUi(Runnable action) {
        Platform.runLater(action);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
