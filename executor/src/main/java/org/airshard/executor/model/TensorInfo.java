package org.airshard.executor.model;

/**
 * Shape (outermost first, HF convention: {@code [out, in]} for weights) and element type of a stored tensor.
 */
public record TensorInfo(String name, DType dtype, long[] shape) {

    public long elements() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    public String shapeString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(']').toString();
    }
}
