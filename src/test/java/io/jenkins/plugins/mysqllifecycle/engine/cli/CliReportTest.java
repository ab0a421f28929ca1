package io.jenkins.plugins.mysqllifecycle.engine.cli;

import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;
import io.jenkins.plugins.mysqllifecycle.testing.HeadlessChromium;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code report DIR}: the dumps a real server's dumps left in a directory, as JSON and as an HTML page rendered by
 * headless Chromium. MariaDB only: the report reads manifests, which both flavors write alike.
 */
class CliReportTest {
    private static final String PASSWORD = "report-secret-4K";
    /** A database and a dump file whose names are markup: the page must show them, never run or render them. */
    private static final String MARKUP_DATABASE = "<script>document.title='pwned'</script>";
    private static final String MARKUP_FILE = "<img src=x onerror=alert(1)>.sql.gz";
    /** Where the screenshot of the last rendered report is kept, for a look at it (resources/report.png is one). */
    private static final Path SCREENSHOT = Path.of("target/report-screenshot.png");

    @TempDir
    Path temp;

    record Run(int exit, String out, String err) {
        Map<String, Object> json() {
            String[] lines = out.strip().split("\n");
            assertEquals(1, lines.length, "stdout must hold exactly one JSON object: " + out);
            return Json.parseObject(lines[0]);
        }
    }

    private static Run cli(Map<String, String> environment, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new Cli(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void reportOfRealDumpsListsEachOnceRendersWithoutConsoleErrorsAndSkipsTheDamaged() throws Exception {
        Path dumps = Files.createDirectories(temp.resolve("dumps"));
        ServerHandle server = TestServers.start(temp, "server");
        try {
            TestServers.sql(server, "CREATE USER 'backup'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD + "'",
                    "GRANT ALL ON *.* TO 'backup'@'127.0.0.1'", "CREATE DATABASE shop",
                    "CREATE TABLE shop.orders (id INT PRIMARY KEY, note VARCHAR(200))",
                    "CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(40))",
                    "INSERT INTO shop.customers SELECT seq, CONCAT('customer ', seq) FROM shop.seq_1_to_300",
                    "CREATE DATABASE `" + MARKUP_DATABASE + "`",
                    "CREATE TABLE `" + MARKUP_DATABASE + "`.`<b>t</b>` (i INT PRIMARY KEY)",
                    "INSERT INTO `" + MARKUP_DATABASE + "`.`<b>t</b>` VALUES (1), (2)");
            // shop grows between its dumps, so that its size chart rises
            List<String> shopDumps = List.of("shop-1.sql.gz", "shop-2.sql.zst", "shop-3", "shop-4.sql.gz");
            for (int i = 0; i < shopDumps.size(); i++) {
                TestServers.sql(server, "INSERT INTO shop.orders SELECT seq, REPEAT('order line ', 1 + seq % 17)"
                        + " FROM shop.seq_" + (i * 3000 + 1) + "_to_" + ((i + 1) * 3000));
                List<String> args = new ArrayList<>(List.of("dump", "--port", Integer.toString(server.port()),
                        "--user", "backup", "--password-env", "PW", "--databases", "shop", "--output",
                        dumps.resolve(shopDumps.get(i)).toString()));
                switch (i) {
                    case 1 -> args.addAll(List.of("--compress", "zstd", "--verify"));
                    case 2 -> args.addAll(List.of("--method", "parallel", "--threads", "2"));
                    default -> { }
                }
                Run dump = cli(Map.of("PW", PASSWORD), args.toArray(String[]::new));
                assertEquals(0, dump.exit(), dump.err());
            }
            Run markup = cli(Map.of("PW", PASSWORD), "dump", "--port", Integer.toString(server.port()), "--user",
                    "backup", "--password-env", "PW", "--database", MARKUP_DATABASE, "--output",
                    dumps.resolve(MARKUP_FILE).toString());
            assertEquals(0, markup.exit(), markup.err());
        } finally {
            TestServers.stop(server);
        }
        // a dump whose manifest was damaged, and a file that is no dump at all
        Files.writeString(dumps.resolve("broken.sql.gz"), "not a dump");
        Files.writeString(dumps.resolve("broken.sql.gz.json"), "{\"file\": \"broken.sql.gz\", ");
        Files.writeString(dumps.resolve("notes.txt"), "kept by hand");

        Run json = cli(Map.of(), "report", dumps.toString(), "--json");
        assertEquals(0, json.exit(), json.err());
        Map<String, Object> data = json.json();
        List<?> listed = (List<?>) data.get("dumps");
        Map<String, Map<?, ?>> byFile = new TreeMap<>();
        for (Object dump : listed) {
            byFile.put((String) ((Map<?, ?>) dump).get("file"), (Map<?, ?>) dump);
        }
        assertEquals(Set.of("shop-1.sql.gz", "shop-2.sql.zst", "shop-3", "shop-4.sql.gz", MARKUP_FILE),
                byFile.keySet());
        assertEquals(List.of("shop-4.sql.gz", "shop-3", "shop-2.sql.zst", "shop-1.sql.gz"), listed.stream()
                .map(dump -> (String) ((Map<?, ?>) dump).get("file")).filter(file -> file.startsWith("shop"))
                .toList(), "newest first");
        assertEquals(true, byFile.get("shop-2.sql.zst").get("verified"));
        assertEquals(false, byFile.get("shop-1.sql.gz").get("verified"));
        assertEquals("directory", byFile.get("shop-3").get("format"));
        assertEquals(2L, byFile.get("shop-3").get("tables"), "a parallel dump counts its tables");
        assertEquals(9300L, byFile.get("shop-3").get("rows"), "and its rows: 9000 orders, 300 customers");
        assertNull(byFile.get("shop-1.sql.gz").get("rows"), "the dump tool counts none");
        assertEquals(List.of(MARKUP_DATABASE), byFile.get(MARKUP_FILE).get("databases"));
        for (Map<?, ?> dump : byFile.values()) {
            assertTrue((Long) dump.get("millis") >= 0 && (Long) dump.get("bytes") > 0, dump.toString());
            assertTrue(dump.get("binlog") != null, "the manifest's binary log coordinates: " + dump);
        }
        assertEquals(Files.size(dumps.resolve("shop-4.sql.gz")), byFile.get("shop-4.sql.gz").get("bytes"));
        Map<String, String> skipped = new TreeMap<>();
        for (Object entry : (List<?>) data.get("skipped")) {
            skipped.put((String) ((Map<?, ?>) entry).get("file"), (String) ((Map<?, ?>) entry).get("reason"));
        }
        assertEquals(Set.of("broken.sql.gz", "notes.txt"), skipped.keySet());
        assertTrue(skipped.get("broken.sql.gz").contains("is not valid JSON"), skipped.toString());
        assertTrue(skipped.get("notes.txt").contains("has no manifest"), skipped.toString());
        assertTrue(json.err().contains("skipped broken.sql.gz: "), json.err());

        Path page = temp.resolve("report.html");
        Run html = cli(Map.of(), "report", dumps.toString(), "--output", page.toString());
        assertEquals(0, html.exit(), html.err());
        assertEquals(Map.of("report", page.toString(), "dumps", 5L, "skipped", 2L), html.json());
        String written = Files.readString(page);
        assertFalse(written.contains(MARKUP_DATABASE) || written.contains("<img"), "a name reached the page as"
                + " markup");
        assertFalse(written.contains(PASSWORD));
        assertTrue(written.contains("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;"));

        HeadlessChromium chromium = HeadlessChromium.find(temp);
        HeadlessChromium.Output rendered = chromium.dumpDom(page);
        assertEquals(List.of(), rendered.consoleMessages(), "the page wrote to the console (an error, or a request"
                + " its Content-Security-Policy refused)");
        String dom = rendered.stdout();
        assertTrue(dom.contains("<title>MySQL dumps in "), "the page's title was changed: " + dom);
        assertFalse(dom.contains("pwned</title>") || dom.contains("<img") || dom.contains("<b>t"), "markup from a"
                + " name became an element:\n" + dom);
        for (String chart : List.of("size", "duration")) {
            List<String> points = points(dom, chart);
            assertEquals(5, points.size(), "one point per dump in the " + chart + " chart: " + points);
            assertEquals(1, points.stream().filter(point -> point.contains("data-verified=\"true\"")).count(),
                    "the verified dump is marked in the " + chart + " chart");
        }
        assertEquals(5, count(dom, "<tr data-dump="), "one table row per dump");
        assertTrue(dom.contains("broken.sql.gz</code>: its manifest broken.sql.gz.json is not valid JSON"), dom);

        Files.createDirectories(SCREENSHOT.getParent());
        HeadlessChromium.Output shot = chromium.screenshot(page, SCREENSHOT, 1400, 1150);
        assertEquals(List.of(), shot.consoleMessages());
        byte[] png = Files.readAllBytes(SCREENSHOT);
        assertTrue(png.length > 20_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "not a PNG of a page: "
                + png.length + " bytes");
    }

    /** The console check above would pass for a Chromium that logs nothing: this page's messages must be seen. */
    @Test
    void aPageThatFailsOrLoadsSomethingIsSeenOnTheConsole() throws Exception {
        Path page = temp.resolve("failing.html");
        Files.writeString(page, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta"
                + " http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src"
                + " 'unsafe-inline'\"><title>t</title></head><body><img src=\"https://example.com/x.png\">"
                + "<script>throw new Error('thrown by the page')</script></body></html>");
        List<String> messages = HeadlessChromium.find(temp).dumpDom(page).consoleMessages();
        assertTrue(messages.stream().anyMatch(line -> line.contains("Uncaught Error: thrown by the page")),
                messages.toString());
        assertTrue(messages.stream().anyMatch(line -> line.contains("https://example.com/x.png")
                && line.contains("Content Security Policy")), messages.toString());
    }

    @Test
    void anEmptyDirectoryGivesAPageThatSaysSoAndTheDefaultOutputIsInIt() throws Exception {
        Path empty = Files.createDirectories(temp.resolve("empty"));
        Run first = cli(Map.of(), "report", empty.toString());
        assertEquals(0, first.exit(), first.err());
        Path page = empty.resolve(Cli.REPORT_FILE);
        assertEquals(Map.of("report", page.toString(), "dumps", 0L, "skipped", 0L), first.json());
        assertTrue(Files.readString(page).contains("No dumps of this tool were found here."));
        // the report it wrote is not a foreign file the next report skips
        Run again = cli(Map.of(), "report", empty.toString(), "--json");
        assertEquals(0, again.exit(), again.err());
        assertEquals(List.of(), again.json().get("skipped"));
        assertEquals(Set.of(Cli.REPORT_FILE), Set.of(empty.toFile().list()), "no temporary file is left");
    }

    @Test
    void badUsageIsExitTwoAndWritesNothing() throws Exception {
        Path dumps = Files.createDirectories(temp.resolve("dumps"));
        Run none = cli(Map.of(), "report");
        assertEquals(2, none.exit());
        assertTrue(none.err().contains("report needs the directory of the dumps first"), none.err());
        Run missing = cli(Map.of(), "report", temp.resolve("nowhere").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().contains("is not a directory"), missing.err());
        Run noParent = cli(Map.of(), "report", dumps.toString(), "--output", temp.resolve("no/such/r.html")
                .toString());
        assertEquals(2, noParent.exit());
        assertTrue(noParent.err().contains("the directory of --output"), noParent.err());
        Run unknown = cli(Map.of(), "report", dumps.toString(), "--keep", "2");
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("unknown option --keep for report"), unknown.err());
        assertEquals(0, dumps.toFile().list().length, "nothing was written");
        Run help = cli(Map.of(), "report", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("report DIR [--output FILE.html] [--json]"), help.out());
    }

    private static List<String> points(String dom, String chart) {
        Matcher svg = Pattern.compile("<svg class=\"chart\" data-chart=\"" + chart + "\".*?</svg>", Pattern.DOTALL)
                .matcher(dom);
        assertTrue(svg.find(), "no " + chart + " chart in the page");
        List<String> points = new ArrayList<>();
        Matcher circle = Pattern.compile("<circle class=\"dump\"[^>]*>").matcher(svg.group());
        while (circle.find()) {
            points.add(circle.group());
        }
        return points;
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
