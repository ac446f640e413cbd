package org.airshard.executor.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.util.LinkedHashMap;
import java.util.Map;
import org.airshard.executor.shard.OnnxGraph;

/** One ONNX Runtime session built from an {@link OnnxGraph}, with its weights passed as external initializers. */
public final class OrtShard implements AutoCloseable {

    private static OrtEnvironment env;

    private final OrtSession session;
    private final Map<String, OnnxTensor> weights = new LinkedHashMap<>();
    private final String name;

    public static synchronized OrtEnvironment environment() {
        if (env == null) {
            env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "airshard");
        }
        return env;
    }

    public OrtShard(String name, OnnxGraph graph, RuntimeOptions options) throws OrtException {
        this.name = name;
        OrtEnvironment e = environment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.setIntraOpNumThreads(options.intraOpThreads());
            so.setInterOpNumThreads(1);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            so.addConfigEntry("session.intra_op.allow_spinning", options.allowSpinning() ? "1" : "0");
            so.addConfigEntry("session.inter_op.allow_spinning", options.allowSpinning() ? "1" : "0");
            Map<String, OnnxTensorLike> ext = new LinkedHashMap<>();
            for (Map.Entry<String, OnnxGraph.Weight> w : graph.weights().entrySet()) {
                OnnxTensor t = OnnxTensor.createTensor(e, w.getValue().data(), w.getValue().shape());
                weights.put(w.getKey(), t);
                ext.put(w.getKey(), t);
            }
            so.addExternalInitializers(ext);
            this.session = e.createSession(graph.toBytes(), so);
        } catch (OrtException | RuntimeException ex) {
            weights.values().forEach(OnnxTensor::close);
            throw ex;
        }
    }

    public String name() {
        return name;
    }

    /** One {@code run} call; the caller closes the result. */
    public OrtSession.Result run(Map<String, ? extends OnnxTensorLike> inputs) throws OrtException {
        return session.run(inputs);
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException ignored) {
            // closing
        }
        weights.values().forEach(OnnxTensor::close);
    }
}
