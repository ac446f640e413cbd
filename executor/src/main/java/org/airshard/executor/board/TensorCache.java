package org.airshard.executor.board;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.airshard.executor.model.DType;
import org.airshard.executor.model.TensorInfo;
import org.airshard.executor.model.TensorStore;
import org.airshard.planner.io.InputException;

/**
 * The agent's content-addressed tensor cache on disk: one file of raw little-endian fp32 per tensor, named
 * by {@link #hash}. Least recently used files are evicted above the size limit (never those in use).
 */
public final class TensorCache {

    private final Path dir;
    private final long limitBytes;

    public TensorCache(Path dir, long limitBytes) throws IOException {
        this.dir = dir.resolve("tensors");
        this.limitBytes = limitBytes;
        Files.createDirectories(this.dir);
    }

    /** Content hash of a tensor: SHA-256 over its shape and its fp32 little-endian bytes. */
    public static String hash(long[] shape, byte[] le) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(java.util.Arrays.toString(shape).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            md.update(le);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean validHash(String h) {
        return h != null && h.matches("[0-9a-f]{64}");
    }

    public synchronized boolean has(String hash) {
        return validHash(hash) && Files.exists(file(hash));
    }

    Path file(String hash) {
        return dir.resolve(hash);
    }

    /** Writes {@code bytes} at {@code offset} of the partial file; when complete, verifies and publishes it. */
    public synchronized boolean write(String hash, long[] shape, long total, long offset, byte[] bytes) throws IOException {
        if (!validHash(hash)) {
            throw new IllegalArgumentException("bad tensor hash");
        }
        if (offset < 0 || total < 0 || offset + bytes.length > total || total % 4 != 0) {
            throw new IllegalArgumentException("chunk [" + offset + ", " + (offset + bytes.length) + ") outside a tensor of " + total + " bytes");
        }
        Path part = dir.resolve(hash + ".part");
        try (FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), offset);
        }
        if (offset + bytes.length < total) {
            return false;
        }
        byte[] all = Files.readAllBytes(part);
        if (all.length != total || !hash(shape, all).equals(hash)) {
            Files.deleteIfExists(part);
            throw new IllegalArgumentException("tensor " + hash.substring(0, 12) + " failed its content check");
        }
        Files.move(part, file(hash), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return true;
    }

    /** Marks files used and evicts least recently used others beyond the limit. */
    public synchronized void touchAndEvict(Set<String> inUse) throws IOException {
        FileTime now = FileTime.fromMillis(System.currentTimeMillis());
        for (String h : inUse) {
            if (Files.exists(file(h))) {
                Files.setLastModifiedTime(file(h), now);
            }
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> validHash(p.getFileName().toString())).forEach(files::add);
        }
        long total = 0;
        for (Path p : files) {
            total += Files.size(p);
        }
        files.sort((a, b) -> {
            try {
                return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
            } catch (IOException e) {
                return 0;
            }
        });
        for (Path p : files) {
            if (total <= limitBytes) {
                break;
            }
            if (!inUse.contains(p.getFileName().toString())) {
                total -= Files.size(p);
                Files.deleteIfExists(p);
            }
        }
    }

    public synchronized long sizeBytes() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /**
     * One deployed tensor: the cached block {@code shape} at {@code (rowOffset, colOffset)} of a tensor of
     * {@code fullShape} (a tensor-parallel slice holds only its rows or columns).
     */
    public record Part(long[] shape, long[] fullShape, long rowOffset, long colOffset, String hash) {
        public Part {
            if (shape.length != fullShape.length || rowOffset < 0 || colOffset < 0 || rowOffset + shape[0] > fullShape[0]
                    || (shape.length > 1 && colOffset + shape[1] > fullShape[1])) {
                throw new IllegalArgumentException("tensor block outside its full shape");
            }
        }
    }

    /**
     * A read-only store over cached tensors. It presents every tensor at its full shape; rows and columns this
     * board was not given read as zeros (the shard graph builders read only their own slice).
     */
    public TensorStore store(Map<String, Part> parts) {
        return new TensorStore() {
            @Override
            public boolean has(String name) {
                return parts.containsKey(name);
            }

            @Override
            public TensorInfo info(String name) throws InputException {
                Part p = parts.get(name);
                if (p == null) {
                    throw new InputException("shard", name, "tensor was not deployed to this board");
                }
                return new TensorInfo(name, DType.F32, p.fullShape());
            }

            @Override
            public Set<String> names() {
                return parts.keySet();
            }

            @Override
            public float[] readRows(String name, int rowStart, int rowEnd) throws InputException {
                info(name);
                Part p = parts.get(name);
                long fullCols = 1, localCols = 1;
                for (int i = 1; i < p.fullShape().length; i++) {
                    fullCols *= p.fullShape()[i];
                    localCols *= p.shape()[i];
                }
                float[] out = new float[(int) ((rowEnd - rowStart) * fullCols)];
                long r0 = Math.max(rowStart, p.rowOffset()), r1 = Math.min(rowEnd, p.rowOffset() + p.shape()[0]);
                if (r1 <= r0) {
                    return out;
                }
                int n = (int) ((r1 - r0) * localCols);
                ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
                try (FileChannel ch = FileChannel.open(file(p.hash()), StandardOpenOption.READ)) {
                    long pos = (r0 - p.rowOffset()) * localCols * 4;
                    while (b.hasRemaining()) {
                        if (ch.read(b, pos + b.position()) < 0) {
                            throw new InputException("shard", name, "cached tensor file is truncated");
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                b.flip();
                java.nio.FloatBuffer fb = b.asFloatBuffer();
                for (long r = r0; r < r1; r++) {
                    fb.get(out, (int) ((r - rowStart) * fullCols + p.colOffset()), (int) localCols);
                }
                return out;
            }

            @Override
            public void close() {
            }
        };
    }
}
