package org.airshard.app.gui.common;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** Holds submitted tasks until the test runs them: simulates slow background work deterministically. */
public final class QueuedTaskRunner implements TaskRunner {

    private final Deque<Runnable> queue = new ArrayDeque<>();
    private int submitted;

    @Override
    public <T> Cancellable submit(String name, Callable<T> work, Consumer<? super T> onSuccess,
                                  Consumer<? super Throwable> onFailure) {
        submitted++;
        queue.add(() -> {
            T r;
            try {
                r = work.call();
            } catch (Exception e) {
                onFailure.accept(e);
                return;
            }
            onSuccess.accept(r);
        });
        return new Cancellable() {
            @Override
            public void cancel() {
            }

            @Override
            public boolean isDone() {
                return false;
            }
        };
    }

    public int pending() {
        return queue.size();
    }

    public int submittedCount() {
        return submitted;
    }

    /** Runs queued tasks (and any they queue) until none are left. */
    public void drain() {
        while (!queue.isEmpty()) {
            queue.poll().run();
        }
    }

    @Override
    public void close() {
    }
}
