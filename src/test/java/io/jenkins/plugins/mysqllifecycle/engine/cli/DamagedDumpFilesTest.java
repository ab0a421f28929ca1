package io.jenkins.plugins.mysqllifecycle.engine.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A manifest or metadata.json that is damaged or foreign (not JSON, cut short, nested deep, with huge numbers,
 * wrong types or missing fields) is refused by `restore` before it connects anywhere, as a damaged or foreign dump,
 * naming the file and what is wrong: never an unexpected failure with a stack trace.
 */
class DamagedDumpFilesTest {
    private static final String GOOD_SHA = "a".repeat(64);

    @TempDir
    Path temp;

    private static String goodManifest(String file) {
        return "{\"file\":\"" + file + "\",\"format\":\"file\",\"databases\":[\"shop\"],"
                + "\"startedAt\":\"2026-01-01T00:00:00Z\",\"bytes\":3,\"sha256\":\"" + GOOD_SHA + "\","
                + "\"compress\":\"none\"}";
    }

    private static String goodMetadata() {
        return "{\"format\":\"mysql-lifecycle-directory/3\",\"compress\":\"none\",\"tables\":{\"`shop`.`t`\":"
                + "{\"database\":\"shop\",\"table\":\"t\",\"type\":\"table\",\"schema\":\"shop.t-schema.sql\","
                + "\"rows\":0,\"chunks\":[]}},\"files\":[{\"file\":\"shop.t-schema.sql\",\"rows\":0,\"bytes\":3,"
                + "\"sha256\":\"" + GOOD_SHA + "\"}]}";
    }

    /** Each damaged manifest or metadata: what it holds. */
    private static Map<String, String> damaged(String good) {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("not JSON", "this is not json");
        cases.put("truncated", good.substring(0, good.length() / 2));
        cases.put("nested 100 000 deep", "{\"file\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}");
        cases.put("a number of 5000 digits", good.replaceFirst("\\{", "{\"huge\":" + "9".repeat(5000) + ","));
        cases.put("a long out of range", good.replaceFirst("\\{", "{\"bytes\":99999999999999999999999,"));
        cases.put("a double out of range", good.replaceFirst("\\{", "{\"bytes\":1e999999,"));
        cases.put("a bad unicode escape", good.replaceFirst("\\{", "{\"x\":\"\\\\uzzzz\","));
        cases.put("an array, not an object", "[" + good + "]");
        return cases;
    }

    private Run restore(Path input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Cli(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run("restore", "--port", "1", "--user", "root",
                "--input", input.toString());
        return new Run(exit, err.toString(StandardCharsets.UTF_8));
    }

    private record Run(int exit, String err) {
    }

    private static void assertRefusedAsDamaged(String what, Run run, String file) {
        assertEquals(1, run.exit(), what + ": " + run.err());
        assertTrue(run.err().contains("is damaged or is not a dump of this tool"), what + ": " + run.err());
        assertTrue(run.err().contains(file), what + " does not name " + file + ": " + run.err());
        assertFalse(run.err().contains("unexpected failure"), what + ": " + run.err());
        assertFalse(run.err().contains("\tat "), what + " printed a stack trace: " + run.err());
        assertTrue(run.err().length() < 1000, what + " printed " + run.err().length() + " characters");
    }

    @Test
    void aDamagedManifestIsRefusedNamingItAndWhatIsWrong() throws Exception {
        Path dump = Files.writeString(temp.resolve("shop.sql"), "x;\n");
        Map<String, String> cases = damaged(goodManifest("shop.sql"));
        cases.put("sha256 a number", goodManifest("shop.sql").replace("\"" + GOOD_SHA + "\"", "5"));
        cases.put("file a list", goodManifest("shop.sql").replace("\"file\":\"shop.sql\"", "\"file\":[\"shop.sql\"]"));
        cases.put("databases an object", goodManifest("shop.sql").replace("[\"shop\"]", "{\"a\":1}"));
        cases.put("compress a number", goodManifest("shop.sql").replace("\"none\"", "7"));
        cases.put("format a number", goodManifest("shop.sql").replace("\"format\":\"file\"", "\"format\":1"));
        cases.put("startedAt a number", goodManifest("shop.sql").replace("\"2026-01-01T00:00:00Z\"", "17"));
        cases.put("no sha256", goodManifest("shop.sql").replace(",\"sha256\":\"" + GOOD_SHA + "\"", ""));
        cases.put("empty object", "{}");
        cases.put("binlog a number", goodManifest("shop.sql").replaceFirst("\\{", "{\"binlog\":3,"));
        cases.put("binlog without a position", goodManifest("shop.sql").replaceFirst("\\{",
                "{\"binlog\":{\"file\":\"binlog.000001\"},"));
        cases.put("binlog with a negative position", goodManifest("shop.sql").replaceFirst("\\{",
                "{\"binlog\":{\"file\":\"binlog.000001\",\"position\":-4},"));
        cases.put("millis a string", goodManifest("shop.sql").replaceFirst("\\{", "{\"millis\":\"12\","));
        cases.put("rawBytes negative", goodManifest("shop.sql").replaceFirst("\\{", "{\"rawBytes\":-1,"));
        cases.put("verified a string", goodManifest("shop.sql").replaceFirst("\\{", "{\"verified\":\"yes\","));
        cases.put("rows a fraction", goodManifest("shop.sql").replaceFirst("\\{", "{\"rows\":1.5,"));
        cases.put("tool a number", goodManifest("shop.sql").replaceFirst("\\{", "{\"tool\":4,"));
        for (Map.Entry<String, String> damaged : cases.entrySet()) {
            Files.writeString(temp.resolve("shop.sql.json"), damaged.getValue());
            assertRefusedAsDamaged(damaged.getKey(), restore(dump), "shop.sql.json");
        }
    }

    @Test
    void aDamagedMetadataFileIsRefusedNamingItAndWhatIsWrong() throws Exception {
        Path dump = Files.createDirectories(temp.resolve("shop-dir"));
        Map<String, String> cases = damaged(goodMetadata());
        cases.put("rows a string", goodMetadata().replace("\"rows\":0,\"chunks\"", "\"rows\":\"0\",\"chunks\""));
        cases.put("chunks a string", goodMetadata().replace("\"chunks\":[]", "\"chunks\":\"none\""));
        cases.put("a chunk a number", goodMetadata().replace("\"chunks\":[]", "\"chunks\":[1]"));
        cases.put("checksum a number", goodMetadata().replace("\"chunks\":[]", "\"chunks\":[],\"checksum\":5"));
        cases.put("a file's rows a string", goodMetadata().replace("\"rows\":0,\"bytes\"", "\"rows\":\"x\",\"bytes\""));
        cases.put("a file's bytes a double", goodMetadata().replace("\"bytes\":3", "\"bytes\":3.5"));
        cases.put("format a number", goodMetadata().replace("\"mysql-lifecycle-directory/3\"", "3"));
        cases.put("compress a list", goodMetadata().replace("\"compress\":\"none\"", "\"compress\":[]"));
        cases.put("tables a list", goodMetadata().replaceFirst("\"tables\":\\{.*\\}\\},\"files\"",
                "\"tables\":[],\"files\""));
        cases.put("no files", goodMetadata().replaceFirst(",\"files\":.*\\}$", "}"));
        cases.put("a type of 3000 characters", goodMetadata().replace("\"type\":\"table\"",
                "\"type\":\"" + "t".repeat(3000) + "\""));
        for (Map.Entry<String, String> damaged : cases.entrySet()) {
            Files.writeString(dump.resolve("metadata.json"), damaged.getValue());
            assertRefusedAsDamaged(damaged.getKey(), restore(dump), "metadata.json");
        }
    }
}
