package io.jenkins.plugins.mysqllifecycle.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * This project (A) against the reference (B), measured alternately in the same run. The ratio is B's median wall
 * time over A's: above 1 means A is faster (for a dump: A's throughput over B's).
 */
final class Comparison {
    final String name;
    final String a;
    final String b;
    final List<Sample> aSamples = new ArrayList<>();
    final List<Sample> bSamples = new ArrayList<>();
    final String target;

    Comparison(String name, String a, String b, String target) {
        this.name = name;
        this.a = a;
        this.b = b;
        this.target = target;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static List<Double> walls(List<Sample> samples) {
        return samples.stream().map(Sample::wallMs).toList();
    }

    double medianA() {
        return median(walls(aSamples));
    }

    double medianB() {
        return median(walls(bSamples));
    }

    double ratio() {
        return medianB() / medianA();
    }

    static String range(List<Sample> samples) {
        List<Double> walls = walls(samples);
        return String.format(Locale.ROOT, "%.1f-%.1f", walls.stream().mapToDouble(d -> d).min().orElse(0),
                walls.stream().mapToDouble(d -> d).max().orElse(0));
    }

    static double cpu(List<Sample> samples, boolean server) {
        return median(samples.stream().map(s -> server ? s.serverCpuSeconds() : s.clientCpuSeconds()).toList());
    }

    /** A Markdown table row; a shell pipe in a label is escaped so that it stays in its cell. */
    String row() {
        return String.format(Locale.ROOT, "| %s | %s | %.1f (%s) | %.2f / %.2f | %s | %.1f (%s) | %.2f / %.2f | %.3f | %s |",
                name, a, medianA(), range(aSamples), cpu(aSamples, false), cpu(aSamples, true), b.replace("|", "\\|"),
                medianB(), range(bSamples), cpu(bSamples, false), cpu(bSamples, true), ratio(), target);
    }

    Map<String, Object> json() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("a", a);
        map.put("b", b);
        map.put("aMedianMs", medianA());
        map.put("bMedianMs", medianB());
        map.put("aWallMs", walls(aSamples));
        map.put("bWallMs", walls(bSamples));
        map.put("aClientCpuS", cpu(aSamples, false));
        map.put("aServerCpuS", cpu(aSamples, true));
        map.put("bClientCpuS", cpu(bSamples, false));
        map.put("bServerCpuS", cpu(bSamples, true));
        map.put("ratioBoverA", ratio());
        map.put("target", target);
        return map;
    }
}
