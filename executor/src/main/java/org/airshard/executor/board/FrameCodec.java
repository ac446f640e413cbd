package org.airshard.executor.board;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Netty codec of {@link Frame}s: a 4-byte big-endian length prefix (checked against a limit before any
 * buffering: a 2 GB prefix is refused at once), then the fixed header, validated field by field.
 */
public final class FrameCodec {

    private FrameCodec() {
    }

    /** Splits the stream into frames; lengths outside {@code [HEADER_BYTES, maxFrameBytes]} are rejected. */
    public static final class Splitter extends LengthFieldBasedFrameDecoder {
        public Splitter(int maxFrameBytes) {
            super(maxFrameBytes, 0, 4, 0, 4, true);
        }

        @Override
        protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
            long n = super.getUnadjustedFrameLength(buf, offset, length, order);
            if (n < Frame.HEADER_BYTES) {
                throw new CorruptedFrameException("frame length " + n + " shorter than the " + Frame.HEADER_BYTES + "-byte header");
            }
            return n;
        }
    }

    /** Parses one length-delimited frame. */
    public static final class Decoder extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            int n = in.readableBytes();
            if (in.getInt(in.readerIndex()) != Frame.MAGIC) {
                in.skipBytes(n);
                throw new CorruptedFrameException("bad magic: not an AirShard data-plane frame");
            }
            in.skipBytes(4);
            int kind = in.readIntLE();
            long hi = in.readLongLE(), lo = in.readLongLE(), req = in.readLongLE();
            int seq = in.readIntLE(), pos = in.readIntLE(), layer = in.readIntLE(), rows = in.readIntLE(),
                    cols = in.readIntLE(), aux = in.readIntLE();
            int payload = n - Frame.HEADER_BYTES;
            if (kind < Frame.PING || kind > Frame.MAX_KIND) {
                in.skipBytes(payload);
                throw new CorruptedFrameException("unknown frame kind " + kind);
            }
            boolean tensor = Frame.isTensorKind(kind);
            if (rows < 0 || cols < 0 || (tensor && (long) rows * cols * 4 != payload)) {
                in.skipBytes(payload);
                throw new CorruptedFrameException("shape " + rows + "x" + cols + " does not match a payload of " + payload + " bytes");
            }
            byte[] p = new byte[payload];
            in.readBytes(p);
            out.add(new Frame(kind, hi, lo, req, seq, pos, layer, rows, cols, aux, p));
        }
    }

    /** Writes length prefix, header and payload. */
    public static final class Encoder extends MessageToByteEncoder<Frame> {
        @Override
        protected void encode(ChannelHandlerContext ctx, Frame f, ByteBuf out) {
            out.writeInt(Frame.HEADER_BYTES + f.payload().length);
            out.writeInt(Frame.MAGIC);
            out.writeIntLE(f.kind());
            out.writeLongLE(f.sessionHi());
            out.writeLongLE(f.sessionLo());
            out.writeLongLE(f.requestId());
            out.writeIntLE(f.sequence());
            out.writeIntLE(f.position());
            out.writeIntLE(f.layer());
            out.writeIntLE(f.rows());
            out.writeIntLE(f.cols());
            out.writeIntLE(f.aux());
            out.writeBytes(f.payload());
        }
    }
}
