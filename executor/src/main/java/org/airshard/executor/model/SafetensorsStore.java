package org.airshard.executor.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.airshard.planner.io.InputException;

/**
 * Reads {@code *.safetensors} files (single file or a sharded {@code model.safetensors.index.json}).
 * Only headers are parsed at open; a tensor's bytes are memory-mapped when it is read, one tensor (or
 * row range) at a time, so building a shard touches only that shard's tensors.
 */
public final class SafetensorsStore implements TensorStore {

    private record Entry(Path file, long dataStart, DType dtype, long[] shape, long begin, long end) {
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final Map<Path, FileChannel> channels = new LinkedHashMap<>();

    private SafetensorsStore() {
    }

    /** Opens a directory holding {@code model.safetensors} or {@code model.safetensors.index.json}, or one file. */
    public static SafetensorsStore open(Path path) throws InputException {
        SafetensorsStore store = new SafetensorsStore();
        try {
            if (Files.isDirectory(path)) {
                Path index = path.resolve("model.safetensors.index.json");
                Path single = path.resolve("model.safetensors");
                if (Files.exists(index)) {
                    JsonNode root = readJson(index);
                    JsonNode map = root.get("weight_map");
                    if (map == null || !map.isObject()) {
                        throw new InputException(index.toString(), "$.weight_map", "missing weight_map object");
                    }
                    Map<String, Path> files = new LinkedHashMap<>();
                    for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                        Map.Entry<String, JsonNode> e = it.next();
                        files.putIfAbsent(e.getValue().asText(), path.resolve(e.getValue().asText()));
                    }
                    for (Path f : files.values()) {
                        store.addFile(f);
                    }
                } else if (Files.exists(single)) {
                    store.addFile(single);
                } else {
                    throw new InputException(path.toString(), "",
                            "no model.safetensors or model.safetensors.index.json in this directory");
                }
            } else {
                store.addFile(path);
            }
            return store;
        } catch (InputException e) {
            store.close();
            throw e;
        }
    }

    static JsonNode readJson(Path file) throws InputException {
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new InputException(file.toString(), "", "not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private void addFile(Path file) throws InputException {
        if (!Files.isRegularFile(file)) {
            throw new InputException(file.toString(), "", "file not found");
        }
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            channels.put(file, ch);
            long size = ch.size();
            if (size < 8) {
                throw new InputException(file.toString(), "", "too short to be a safetensors file");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(lenBuf, 0);
            long headerLen = lenBuf.flip().getLong();
            if (headerLen <= 0 || headerLen > 100_000_000 || 8 + headerLen > size) {
                throw new InputException(file.toString(), "", "corrupt safetensors header (length " + headerLen + ")");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
            ch.read(hb, 8);
            JsonNode header;
            try {
                header = new ObjectMapper().readTree(hb.array());
            } catch (IOException e) {
                throw new InputException(file.toString(), "", "corrupt safetensors header: not JSON");
            }
            long dataStart = 8 + headerLen;
            for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                JsonNode t = e.getValue();
                String dt = t.path("dtype").asText();
                DType dtype;
                switch (dt) {
                    case "F32": dtype = DType.F32; break;
                    case "F16": dtype = DType.F16; break;
                    case "BF16": dtype = DType.BF16; break;
                    default:
                        throw new InputException(file.toString(), "$." + e.getKey(),
                                "unsupported dtype " + dt + " (supported: F32, F16, BF16)");
                }
                JsonNode sh = t.path("shape");
                long[] shape = new long[sh.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = sh.get(i).asLong();
                }
                long begin = t.path("data_offsets").path(0).asLong(-1);
                long end = t.path("data_offsets").path(1).asLong(-1);
                long expected = new TensorInfo(e.getKey(), dtype, shape).elements() * (dtype == DType.F32 ? 4 : 2);
                if (begin < 0 || end - begin != expected || dataStart + end > size) {
                    throw new InputException(file.toString(), "$." + e.getKey(),
                            "data offsets do not match shape/dtype or run past the end of the file (truncated?)");
                }
                entries.put(e.getKey(), new Entry(file, dataStart, dtype, shape, begin, end));
            }
        } catch (IOException e) {
            throw new InputException(file.toString(), "", "cannot read: " + e.getMessage());
        }
    }

    @Override
    public boolean has(String name) {
        return entries.containsKey(name);
    }

    @Override
    public TensorInfo info(String name) throws InputException {
        Entry e = entries.get(name);
        if (e == null) {
            throw new InputException("checkpoint", name, "tensor missing from the safetensors files");
        }
        return new TensorInfo(name, e.dtype(), e.shape());
    }

    @Override
    public Set<String> names() {
        return entries.keySet();
    }

    @Override
    public float[] readRows(String name, int rowStart, int rowEnd) throws InputException {
        Entry e = entries.get(name);
        if (e == null) {
            throw new InputException("checkpoint", name, "tensor missing from the safetensors files");
        }
        long rows = e.shape().length == 0 ? 1 : e.shape()[0];
        long total = new TensorInfo(name, e.dtype(), e.shape()).elements();
        long rowLen = rows == 0 ? 0 : total / rows;
        if (rowStart < 0 || rowEnd > rows || rowStart > rowEnd) {
            throw new IllegalArgumentException("rows " + rowStart + ".." + rowEnd + " outside " + rows);
        }
        int bytesPer = e.dtype() == DType.F32 ? 4 : 2;
        long n = (rowEnd - rowStart) * rowLen;
        if (n > Integer.MAX_VALUE - 16) {
            throw new InputException("checkpoint", name, "tensor slice too large for one array: " + n);
        }
        float[] out = new float[(int) n];
        try {
            ByteBuffer buf = channels.get(e.file()).map(FileChannel.MapMode.READ_ONLY,
                    e.dataStart() + e.begin() + rowStart * rowLen * bytesPer, n * bytesPer)
                    .order(ByteOrder.LITTLE_ENDIAN);
            switch (e.dtype()) {
                case F32 -> buf.asFloatBuffer().get(out);
                case F16 -> {
                    for (int i = 0; i < n; i++) {
                        out[i] = DType.halfToFloat(buf.getShort() & 0xffff);
                    }
                }
                case BF16 -> {
                    for (int i = 0; i < n; i++) {
                        out[i] = DType.bf16ToFloat(buf.getShort() & 0xffff);
                    }
                }
                default -> throw new IllegalStateException();
            }
        } catch (IOException ex) {
            throw new InputException(e.file().toString(), name, "cannot read tensor: " + ex.getMessage());
        }
        return out;
    }

    @Override
    public void close() {
        for (FileChannel ch : channels.values()) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // closing a read-only channel
            }
        }
        channels.clear();
    }
}
