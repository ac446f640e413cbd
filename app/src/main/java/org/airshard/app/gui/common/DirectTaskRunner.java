package org.airshard.app.gui.common;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** Runs each task at once on the calling thread: deterministic ViewModel tests, no FX toolkit needed. */
public final class DirectTaskRunner implements TaskRunner {

    private int submitted;

    @Override
    public <T> Cancellable submit(String name, Callable<T> work, Consumer<? super T> onSuccess,
                                  Consumer<? super Throwable> onFailure) {
        submitted++;
        T result;
        try {
            result = work.call();
        } catch (Exception e) {
            onFailure.accept(e);
            return DONE;
        }
        onSuccess.accept(result);
        return DONE;
    }

    /** How many tasks were submitted (tests assert that file work went through the runner). */
    public int submittedCount() {
        return submitted;
    }

    @Override
    public void close() {
    }

    private static final Cancellable DONE = new Cancellable() {
        @Override
        public void cancel() {
        }

        @Override
        public boolean isDone() {
            return true;
        }
    };
}
