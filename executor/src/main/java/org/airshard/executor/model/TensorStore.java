package org.airshard.executor.model;

import java.io.Closeable;
import java.util.Set;
import org.airshard.planner.io.InputException;

/**
 * Read access to the tensors of one checkpoint, by Hugging Face name, in HF layout (see {@link ModelConfig}).
 * Reads are lazy: only the tensors (and for row reads, only the rows) asked for are touched.
 */
public interface TensorStore extends Closeable {

    /** Whether the checkpoint holds this tensor. */
    boolean has(String name);

    /** Shape and dtype; throws {@link InputException} when absent. */
    TensorInfo info(String name) throws InputException;

    /** All tensor names. */
    Set<String> names();

    /** Rows {@code [rowStart, rowEnd)} of the tensor viewed as {@code [shape[0], rest]}, as fp32. */
    float[] readRows(String name, int rowStart, int rowEnd) throws InputException;

    /** The whole tensor as fp32. */
    default float[] read(String name) throws InputException {
        TensorInfo info = info(name);
        return readRows(name, 0, (int) info.shape()[0]);
    }

    @Override
    void close();
}
