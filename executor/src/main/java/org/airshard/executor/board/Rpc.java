package org.airshard.executor.board;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * The agent's gRPC control-plane service {@code airshard.Agent}. Each message is a JSON object (plain data,
 * no type information, parsed into a tree — never into arbitrary classes) optionally followed by a raw
 * binary blob (tensor bytes of an upload): {@code int32 jsonBytes | JSON | blob}.
 */
public final class Rpc {

    public static final String SERVICE = "airshard.Agent";
    public static final Metadata.Key<String> TOKEN = Metadata.Key.of("airshard-token", Metadata.ASCII_STRING_MARSHALLER);
    /** Largest control message (an upload chunk is at most {@link #CHUNK_BYTES} plus a small header). */
    public static final int MAX_MESSAGE_BYTES = 20 << 20;
    public static final int CHUNK_BYTES = 16 << 20;
    static final ObjectMapper JSON = new ObjectMapper();

    /** One control message. */
    public record Msg(ObjectNode json, byte[] blob) {
        public static Msg of(ObjectNode json) {
            return new Msg(json, new byte[0]);
        }

        public static ObjectNode object() {
            return JSON.createObjectNode();
        }
    }

    static final MethodDescriptor.Marshaller<Msg> MARSHALLER = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(Msg m) {
            try {
                byte[] j = JSON.writeValueAsBytes(m.json());
                ByteBuffer b = ByteBuffer.allocate(4 + j.length + m.blob().length);
                b.putInt(j.length).put(j).put(m.blob());
                return new ByteArrayInputStream(b.array());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Msg parse(InputStream in) {
            try {
                byte[] all = in.readAllBytes();
                if (all.length < 4) {
                    throw new IllegalArgumentException("control message shorter than its length prefix");
                }
                int n = ByteBuffer.wrap(all).getInt();
                if (n < 0 || n > all.length - 4) {
                    throw new IllegalArgumentException("control message JSON length " + n + " exceeds the message");
                }
                var node = JSON.readTree(all, 4, n);
                if (!(node instanceof ObjectNode o)) {
                    throw new IllegalArgumentException("control message is not a JSON object");
                }
                byte[] blob = new byte[all.length - 4 - n];
                System.arraycopy(all, 4 + n, blob, 0, blob.length);
                return new Msg(o, blob);
            } catch (IOException e) {
                throw new IllegalArgumentException("malformed control message: " + e.getMessage(), e);
            }
        }
    };

    public static final MethodDescriptor<Msg, Msg> HELLO = method("Hello");
    public static final MethodDescriptor<Msg, Msg> HEARTBEAT = method("Heartbeat");
    public static final MethodDescriptor<Msg, Msg> STATUS = method("Status");
    /** Offers a shard manifest (names, shapes, content hashes); the reply lists the hashes the agent lacks. */
    public static final MethodDescriptor<Msg, Msg> DEPLOY = method("Deploy");
    /** One chunk of one tensor's bytes. */
    public static final MethodDescriptor<Msg, Msg> UPLOAD = method("Upload");
    /** Builds the shard's ONNX Runtime sessions; returns the data-plane port and the session credentials. */
    public static final MethodDescriptor<Msg, Msg> LOAD = method("Load");
    /** Ends a run: drops sessions and credentials. */
    public static final MethodDescriptor<Msg, Msg> STOP = method("Stop");

    private Rpc() {
    }

    private static MethodDescriptor<Msg, Msg> method(String name) {
        return MethodDescriptor.<Msg, Msg>newBuilder().setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(MARSHALLER).setResponseMarshaller(MARSHALLER).build();
    }
}
