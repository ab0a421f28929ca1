package io.jenkins.plugins.mysqllifecycle;

import io.jenkins.plugins.mysqllifecycle.engine.util.Json;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job's dumps build by build, per series of dumps of the same databases on the same host: their size, duration
 * and whether each was verified. What the job's trend charts draw ({@link #chartModel}, in the JSON form of the
 * echarts-api plugin's {@code LinesChartModel}) and what its JSON endpoint gives ({@link #toMap}). A plain model of
 * the records, so that it is tested without a Jenkins.
 */
final class DumpTrend {
    /** The series' colours in the charts; distinguishable in the common kinds of colour blindness. */
    private static final String[] COLORS = {"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9",
        "#000000", "#f0e442"};

    /** A build's dumps, written and failed, in the order they ended. */
    record Build(int number, String displayName, List<DumpRecord> dumps) {
        Build {
            dumps = List.copyOf(dumps);
        }
    }

    /** What a chart draws, in the unit its title names. */
    enum Metric {
        SIZE("MiB", 1024.0 * 1024) {
            @Override
            long of(DumpRecord dump) {
                return dump.bytes();
            }
        },
        DURATION("s", 1000.0) {
            @Override
            long of(DumpRecord dump) {
                return dump.millis();
            }
        };

        private final String unit;
        private final double divisor;

        Metric(String unit, double divisor) {
            this.unit = unit;
            this.divisor = divisor;
        }

        String unit() {
            return unit;
        }

        abstract long of(DumpRecord dump);

        /** The value in the chart's unit, to the thousandth. */
        double scaled(long value) {
            return BigDecimal.valueOf(value / divisor).setScale(3, RoundingMode.HALF_UP).doubleValue();
        }
    }

    private final List<Build> builds;

    /** @param builds newest first, as a job's builds are walked; those without dumps are left out */
    DumpTrend(List<Build> builds) {
        List<Build> oldestFirst = new ArrayList<>();
        for (Build build : builds) {
            if (!build.dumps().isEmpty()) {
                oldestFirst.add(0, build);
            }
        }
        this.builds = List.copyOf(oldestFirst);
    }

    /** The series of written dumps, named "host: databases", in the order they first appear. */
    List<String> series() {
        List<String> series = new ArrayList<>();
        for (Build build : builds) {
            for (DumpRecord dump : build.dumps()) {
                if (!dump.isFailed() && !series.contains(dump.series())) {
                    series.add(dump.series());
                }
            }
        }
        return series;
    }

    /** A trend needs two builds with written dumps (the echarts-api plugin's rule for its trend charts). */
    boolean isVisible() {
        return builds.stream().filter(build -> build.dumps().stream().anyMatch(dump -> !dump.isFailed())).count()
                >= 2;
    }

    /**
     * What the job's JSON endpoint gives: per series each build's dump with its size, duration and whether it was
     * verified, oldest first; and the failed dumps with their cause.
     */
    Map<String, Object> toMap() {
        List<Object> series = new ArrayList<>();
        for (String name : series()) {
            List<Object> points = new ArrayList<>();
            String host = null;
            String databases = null;
            for (Build build : builds) {
                for (DumpRecord dump : build.dumps()) {
                    if (dump.isFailed() || !dump.series().equals(name)) {
                        continue;
                    }
                    host = dump.getHost();
                    databases = dump.getDatabases();
                    Map<String, Object> point = new LinkedHashMap<>();
                    point.put("build", build.number());
                    point.put("file", dump.getFile());
                    point.put("startedAt", dump.getStartedAt());
                    point.put("bytes", dump.bytes());
                    point.put("millis", dump.millis());
                    point.put("verified", dump.isVerified());
                    points.add(point);
                }
            }
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("host", host);
            one.put("databases", databases);
            one.put("points", points);
            series.add(one);
        }
        List<Object> failures = new ArrayList<>();
        for (Build build : builds) {
            for (DumpRecord dump : build.dumps()) {
                if (dump.isFailed()) {
                    Map<String, Object> failure = new LinkedHashMap<>();
                    failure.put("build", build.number());
                    failure.put("host", dump.getHost());
                    failure.put("databases", dump.getDatabases());
                    failure.put("file", dump.getFile());
                    failure.put("failure", dump.getFailure());
                    failures.add(failure);
                }
            }
        }
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("series", series);
        map.put("failures", failures);
        return map;
    }

    /**
     * The chart of {@code metric} as the echarts-api plugin's trend chart reads it (the JSON of its
     * {@code LinesChartModel}): one x-axis label per build with dumps, one line per series with a value per build
     * (null where that build has no written dump of the series, so that a failure is a gap), and the verified
     * dumps drawn as filled points, the others as empty ones. Where a build dumped a series twice, its last dump
     * counts.
     */
    String chartModel(Metric metric) {
        List<String> labels = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        for (Build build : builds) {
            labels.add(build.displayName());
            numbers.add(build.number());
        }
        List<Object> lines = new ArrayList<>();
        List<String> names = series();
        for (int i = 0; i < names.size(); i++) {
            List<Object> data = new ArrayList<>();
            for (Build build : builds) {
                DumpRecord last = null;
                for (DumpRecord dump : build.dumps()) {
                    if (!dump.isFailed() && dump.series().equals(names.get(i)) && metric.of(dump) >= 0) {
                        last = dump;
                    }
                }
                if (last == null) {
                    data.add(null);
                } else if (last.isVerified()) {
                    Map<String, Object> point = new LinkedHashMap<>();
                    point.put("value", metric.scaled(metric.of(last)));
                    point.put("symbol", "circle");
                    point.put("symbolSize", 9);
                    data.add(point);
                } else {
                    data.add(metric.scaled(metric.of(last)));
                }
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("name", names.get(i));
            line.put("type", "line");
            line.put("symbol", "emptyCircle");
            line.put("symbolSize", 7);
            line.put("itemStyle", Map.of("color", COLORS[i % COLORS.length]));
            line.put("data", data);
            lines.add(line);
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("domainAxisLabels", labels);
        model.put("buildNumbers", numbers);
        model.put("domainAxisItemName", "Build");
        model.put("integerRangeAxis", false);
        model.put("rangeMin", 0.0);
        model.put("series", lines);
        return withoutColorTokens(Json.write(model));
    }

    /**
     * The echarts-api plugin's script replaces every "--name" in the model's text with the theme's colour of that
     * name before it parses it; a host or database called "a--b" would be changed, or break the JSON. Inside
     * strings every '-' is written as the escape {@code \u002d}, which JSON reads back as '-'.
     */
    static String withoutColorTokens(String json) {
        StringBuilder out = new StringBuilder(json.length());
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString && c == '\\') {
                out.append(c).append(json.charAt(++i));
                continue;
            }
            if (c == '"') {
                inString = !inString;
            }
            out.append(inString && c == '-' ? "\\u002d" : String.valueOf(c));
        }
        return out.toString();
    }
}
