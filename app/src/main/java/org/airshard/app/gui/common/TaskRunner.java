package org.airshard.app.gui.common;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Runs work off the UI thread and hands the result back on it. ViewModels depend on this interface only:
 * the application uses {@link FxTaskRunner} (bounded background pool, results on the FX thread), tests use
 * {@link DirectTaskRunner} (runs at once on the calling thread).
 */
public interface TaskRunner extends AutoCloseable {

    /**
     * Starts {@code work}; exactly one of {@code onSuccess} and {@code onFailure} is later called on the UI
     * thread (unless the task was cancelled first).
     *
     * @param name      what the work is, for logs and the status bar
     * @param work      the work; runs on a background thread, must not touch the UI
     * @param onSuccess receives the result on the UI thread
     * @param onFailure receives the exception on the UI thread
     * @return a handle to cancel the work (interrupts it when running)
     */
    <T> Cancellable submit(String name, Callable<T> work, Consumer<? super T> onSuccess,
                           Consumer<? super Throwable> onFailure);

    /**
     * Runs {@code action} on the UI thread (at once for runners without one). Background work uses it to
     * publish progress; callers coalesce so the UI thread is not flooded.
     */
    default void runOnUi(Runnable action) {
        action.run();
    }

    /** Stops accepting work; running work is interrupted. */
    @Override
    void close();

    /** Cancels submitted work. */
    interface Cancellable {
        void cancel();

        boolean isDone();
    }
}
