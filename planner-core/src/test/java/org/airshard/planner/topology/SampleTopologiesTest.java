package org.airshard.planner.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.airshard.planner.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SampleTopologiesTest {

    static final Path SAMPLES = Path.of("..", "sample-topologies");

    static List<Path> samples() throws IOException {
        try (Stream<Path> s = Files.list(SAMPLES)) {
            return s.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().contains("schema"))
                    .sorted().toList();
        }
    }

    @Test
    void theRequiredSamplesExist() throws IOException {
        List<String> names = samples().stream().map(p -> p.getFileName().toString()).toList();
        for (String n : List.of("aircomp-paper-1dev.json", "aircomp-paper-2dev.json", "aircomp-paper-4dev.json",
                "aircomp-paper-8dev.json", "mdi-llm-3x-tx2.json", "home-lab.json", "local-demo.json")) {
            assertTrue(names.contains(n), n);
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everySampleValidatesWithoutErrors(Path file) throws Exception {
        TopologyFiles.Loaded l = TopologyFiles.load(file);
        assertFalse(l.report().hasErrors(), l.report().toString());
        assertNotNull(l.model());
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everySampleConformsToThePublishedSchema(Path file) throws Exception {
        JsonSchema schema = schema();
        Set<ValidationMessage> errors = schema.validate(Json.readTree(file));
        assertTrue(errors.isEmpty(), file + ": " + errors);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void writingAndReadingBackGivesTheSameTopology(Path file, @TempDir Path dir) throws Exception {
        Topology t = TopologyFiles.load(file).topology();
        Path out = dir.resolve("copy.json");
        TopologyWriter.write(t, out);
        Topology back = TopologyReader.read(out).topology();
        assertEquals(TopologyWriter.toJson(t), TopologyWriter.toJson(back));
        assertTrue(schema().validate(Json.readTree(out)).isEmpty(), "written files conform to the schema");
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.count(), "no temporary file left behind");
        }
    }

    @Test
    void theAirCompPaperSettingIsTheOneThePaperUses() throws Exception {
        for (int n : new int[] {1, 2, 4, 8}) {
            TopologyFiles.Loaded l = TopologyFiles.load(SAMPLES.resolve("aircomp-paper-" + n + "dev.json"));
            assertEquals(n, l.topology().devices().size());
            assertEquals(20, l.topology().server().antennas());
            assertTrue(l.topology().devices().stream().allMatch(d -> d.antennas() == 4));
            assertEquals("llama3-8b", l.model().id());
        }
    }

    static JsonSchema schema() throws Exception {
        JsonNode schemaNode = Json.readTree(SAMPLES.resolve("topology.schema.json"));
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaNode);
    }
}
