package io.jenkins.plugins.mysqllifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.mysqllifecycle.engine.BinlogCoordinates;
import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The job's dump trend as a model of build records: what the charts and the JSON endpoint give, without a Jenkins
 * (the JenkinsRule test DumpPagesTest reads the same JSON from a real job).
 */
class DumpTrendTest {
    static DumpRecord written(String host, String database, String file, long bytes, long millis, boolean verified,
                              Instant startedAt) {
        DumpResult result = new DumpResult("/w/" + file, "/w/" + file + ".json", bytes, "ab".repeat(32),
                Compression.GZIP, List.of(database), false, "10.11.9-MariaDB", "mariadb-dump", "10.11.9", startedAt,
                millis, bytes * 10, DumpResult.FILE, verified, BinlogCoordinates.OFF, List.of());
        return DumpRecord.written("", host, file, result);
    }

    private static DumpRecord failed(String host, String database, String file) {
        return DumpRecord.failed("", host, List.of(database), false, file, Instant.parse("2026-01-03T00:00:00Z"),
                "Access denied for user 'backup'\nsecond line");
    }

    /** Builds 7 to 10 (newest first, as a job's builds are walked); 8 has no dumps, 9's failed. */
    private static DumpTrend trend() {
        return new DumpTrend(List.of(
                new DumpTrend.Build(10, "#10", List.of(
                        written("built-in", "shop", "shop-10.sql.gz", 3 * 1024 * 1024, 4_000, true,
                                Instant.parse("2026-01-04T00:00:00Z")),
                        written("db1:3306", "stock", "stock-10.sql.gz", 1024 * 1024, 1_500, false,
                                Instant.parse("2026-01-04T00:01:00Z")))),
                new DumpTrend.Build(9, "#9", List.of(failed("built-in", "shop", "shop-9.sql.gz"))),
                new DumpTrend.Build(8, "#8", List.of()),
                new DumpTrend.Build(7, "#7", List.of(written("built-in", "shop", "shop-7.sql.gz", 2 * 1024 * 1024,
                        2_500, false, Instant.parse("2026-01-01T00:00:00Z"))))));
    }

    @Test
    void theJsonHasEachSeriesPointsOldestFirstAndTheFailuresWithTheirFirstLine() {
        Map<String, Object> json = Json.parseObject(Json.write(trend().toMap()));
        List<?> series = (List<?>) json.get("series");
        assertEquals(2, series.size());
        Map<?, ?> shop = (Map<?, ?>) series.get(0);
        assertEquals("built-in", shop.get("host"));
        assertEquals("shop", shop.get("databases"));
        List<?> points = (List<?>) shop.get("points");
        assertEquals(List.of(7L, 10L), points.stream().map(point -> ((Map<?, ?>) point).get("build")).toList());
        Map<?, ?> newest = (Map<?, ?>) points.get(1);
        assertEquals(3L * 1024 * 1024, newest.get("bytes"));
        assertEquals(4000L, newest.get("millis"));
        assertEquals(true, newest.get("verified"));
        assertEquals(false, ((Map<?, ?>) points.get(0)).get("verified"));
        assertEquals("db1:3306", ((Map<?, ?>) series.get(1)).get("host"));
        List<?> failures = (List<?>) json.get("failures");
        assertEquals(1, failures.size());
        assertEquals(9L, ((Map<?, ?>) failures.get(0)).get("build"));
        assertEquals("Access denied for user 'backup'", ((Map<?, ?>) failures.get(0)).get("failure"));
    }

    @Test
    void theChartHasABuildPerLabelALinePerSeriesAndVerifiedPointsFilled() {
        Map<String, Object> chart = Json.parseObject(trend().chartModel(DumpTrend.Metric.SIZE));
        assertEquals(List.of("#7", "#9", "#10"), chart.get("domainAxisLabels"), "builds with dumps, oldest first");
        assertEquals(List.of(7L, 9L, 10L), chart.get("buildNumbers"));
        List<?> lines = (List<?>) chart.get("series");
        assertEquals(List.of("built-in: shop", "db1:3306: stock"), lines.stream()
                .map(line -> ((Map<?, ?>) line).get("name")).toList());
        List<?> shop = (List<?>) ((Map<?, ?>) lines.get(0)).get("data");
        assertEquals(2.0, shop.get(0), "MiB");
        assertNull(shop.get(1), "the failed build is a gap");
        Map<?, ?> verified = (Map<?, ?>) shop.get(2);
        assertEquals(3.0, verified.get("value"));
        assertEquals("circle", verified.get("symbol"), "a verified dump is a filled point");
        assertEquals("emptyCircle", ((Map<?, ?>) lines.get(0)).get("symbol"), "the others are empty");
        assertEquals(java.util.Arrays.asList(null, null, 1.0), ((Map<?, ?>) lines.get(1)).get("data"));

        Map<String, Object> durations = Json.parseObject(trend().chartModel(DumpTrend.Metric.DURATION));
        assertEquals(2.5, ((List<?>) ((Map<?, ?>) ((List<?>) durations.get("series")).get(0)).get("data")).get(0),
                "seconds");
    }

    @Test
    void theChartNeedsTwoBuildsWithWrittenDumps() {
        assertTrue(trend().isVisible());
        DumpTrend one = new DumpTrend(List.of(
                new DumpTrend.Build(2, "#2", List.of(failed("built-in", "shop", "a.sql.gz"))),
                new DumpTrend.Build(1, "#1", List.of(written("built-in", "shop", "a.sql.gz", 1, 1, false,
                        Instant.EPOCH)))));
        assertFalse(one.isVisible());
    }

    /**
     * The echarts-api script replaces "--name" anywhere in the model's text with a theme colour before it parses it:
     * a name with "--" must reach it without one, and still read the same once parsed.
     */
    @Test
    void namesWithDoubleDashesSurviveTheChartScriptsColourReplacement() {
        DumpTrend trend = new DumpTrend(List.of(new DumpTrend.Build(1, "#1", List.of(written("db--1", "a--b",
                "x.sql.gz", 1, 1, false, Instant.EPOCH)))));
        String model = trend.chartModel(DumpTrend.Metric.SIZE);
        assertFalse(model.contains("--"), model);
        assertEquals("db--1: a--b", ((Map<?, ?>) ((List<?>) Json.parseObject(model).get("series")).get(0))
                .get("name"));
        assertEquals("{\"a\\u002db\":\"\\\"x\\u002d\\u002d\",\"n\":1.5}",
                DumpTrend.withoutColorTokens("{\"a-b\":\"\\\"x--\",\"n\":1.5}"));
    }
}
