package org.airshard.planner.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.airshard.planner.io.InputException;

/** The project's JSON conventions: strict parsing, pretty output, atomic writes, size limits. */
public final class Json {

    /** Largest JSON input file accepted, bytes. */
    public static final long MAX_INPUT_BYTES = 64L << 20;

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(64).maxStringLength(1 << 20).maxNumberLength(64).build());
    }

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Reads a JSON file into a tree.
     *
     * @throws InputException naming the file: missing, unreadable, too large, or not JSON (with line/column)
     */
    public static JsonNode readTree(Path file) throws InputException {
        String source = file.toString();
        try {
            if (Files.isDirectory(file)) {
                throw new InputException(source, "", "is a directory, expected a JSON file");
            }
            long size = Files.size(file);
            if (size > MAX_INPUT_BYTES) {
                throw new InputException(source, "", "file is " + size + " bytes; at most " + MAX_INPUT_BYTES
                        + " bytes are accepted");
            }
            return parse(source, Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new InputException(source, "", "file not found");
        } catch (IOException e) {
            throw new InputException(source, "", "cannot read file: " + e.getMessage());
        }
    }

    /** Parses JSON bytes; {@code source} names them in messages. */
    public static JsonNode parse(String source, byte[] bytes) throws InputException {
        if (bytes.length == 0) {
            throw new InputException(source, "", "file is empty, expected a JSON object");
        }
        try {
            JsonNode n = MAPPER.readTree(bytes);
            if (n == null || n.isMissingNode()) {
                throw new InputException(source, "", "no JSON content");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new InputException(source, "", "not valid JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new InputException(source, "", "cannot parse: " + e.getMessage());
        }
    }

    /**
     * Writes {@code text} to {@code target} atomically: a temporary file in the same folder, then a move.
     * A crash or error never leaves a half-written target.
     */
    public static void writeAtomically(Path target, String text) throws IOException {
        writeAtomically(target, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Temporary files are created 0600; give the result the target's permissions when it exists, else the
     * usual rw-r--r-- (POSIX file systems only).
     */
    private static void keepPermissions(Path tmp, Path target) throws IOException {
        if (!tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.exists(target)
                ? Files.getPosixFilePermissions(target)
                : java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(tmp, perms);
    }

    /** Byte version of {@link #writeAtomically(Path, String)}. */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        try {
            Files.write(tmp, bytes);
            keepPermissions(tmp, abs);
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
