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

    /** A read-only store over cached tensors ({@code name → (shape, hash)}). */
    public TensorStore store(Map<String, long[]> shapes, Map<String, String> hashes) {
        return new TensorStore() {
            @Override
            public boolean has(String name) {
                return shapes.containsKey(name);
            }

            @Override
            public TensorInfo info(String name) throws InputException {
                long[] s = shapes.get(name);
                if (s == null) {
                    throw new InputException("shard", name, "tensor was not deployed to this board");
                }
                return new TensorInfo(name, DType.F32, s);
            }

            @Override
            public Set<String> names() {
                return shapes.keySet();
            }

            @Override
            public float[] readRows(String name, int rowStart, int rowEnd) throws InputException {
                long[] s = info(name).shape();
                long rowElems = 1;
                for (int i = 1; i < s.length; i++) {
                    rowElems *= s[i];
                }
                int n = (int) ((rowEnd - rowStart) * rowElems);
                ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
                try (FileChannel ch = FileChannel.open(file(hashes.get(name)), StandardOpenOption.READ)) {
                    long pos = rowStart * rowElems * 4;
                    while (b.hasRemaining()) {
                        if (ch.read(b, pos + b.position()) < 0) {
                            throw new InputException("shard", name, "cached tensor file is truncated");
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                b.flip();
                float[] f = new float[n];
                b.asFloatBuffer().get(f);
                return f;
            }

            @Override
            public void close() {
            }
        };
    }
}
