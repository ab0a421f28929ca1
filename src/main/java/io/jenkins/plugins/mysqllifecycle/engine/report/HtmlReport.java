package io.jenkins.plugins.mysqllifecycle.engine.report;

import io.jenkins.plugins.mysqllifecycle.engine.format.Manifest;
import io.jenkins.plugins.mysqllifecycle.engine.util.Bytes;
import io.jenkins.plugins.mysqllifecycle.engine.util.Durations;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * A {@link DumpHistory} as one self-contained HTML page: a summary per series of dumps of the same databases, charts
 * of size and duration over time drawn as inline SVG (one point per dump, verified ones filled), the table of the
 * dumps, and what was skipped. Nothing is loaded from anywhere: no script at all, no external style, font or image,
 * and a Content-Security-Policy that would block any (so that the page behaves the same offline, from a mail
 * attachment or a CI artifact). Every text that comes from a manifest or a file name is escaped, since a database,
 * table or file may be named {@code <script>}.
 */
public final class HtmlReport {
    /** The policy the page declares: inline styles only; no script, no request of any kind. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'";
    /** Of the series, in order; distinguishable in the common kinds of colour blindness. */
    private static final String[] COLORS = {"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9",
        "#000000", "#f0e442"};
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECOND = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HOUR_MINUTE = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    /** How many characters of a SHA-256 the table shows: enough to tell dumps apart and to find one. */
    static final int SHA256_SHOWN = 12;

    private static final int WIDTH = 600;
    private static final int HEIGHT = 240;
    private static final int LEFT = 84;
    private static final int RIGHT = 24;
    private static final int TOP = 16;
    private static final int BOTTOM = 44;

    private final DumpHistory history;
    private final List<DumpHistory.Series> series;
    private final StringBuilder out = new StringBuilder();

    private HtmlReport(DumpHistory history) {
        this.history = history;
        this.series = history.series();
    }

    /** The page; {@code version} is the tool's, for the footer. */
    public static String render(DumpHistory history, String version) {
        return new HtmlReport(history).page(version);
    }

    private String page(String version) {
        String title = "MySQL dumps in " + history.directory();
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"").append(CONTENT_SECURITY_POLICY)
                .append("\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(escape(title)).append("</title>\n<style>").append(STYLE)
                .append("</style>\n</head>\n<body>\n<h1>MySQL dumps in <code>").append(escape(history.directory()
                        .toString())).append("</code></h1>\n<p class=\"meta\">")
                .append(count(history.dumps().size(), "dump")).append(", ")
                .append(count(series.size(), "series", "series")).append(" of the same databases")
                .append(history.skipped().isEmpty() ? "" : ", " + count(history.skipped().size(), "entry", "entries")
                        + " skipped")
                .append(". Generated ").append(SECOND.format(history.generatedAt()))
                .append(" UTC; all times are UTC. Sizes and durations are what each dump's manifest records;"
                        + " verified means the dump was restored into a scratch server and compared table by table"
                        + " when it was written.</p>\n");
        if (history.dumps().isEmpty()) {
            out.append("<p class=\"empty\">No dumps of this tool were found here.</p>\n");
        } else {
            summary();
            charts();
            table();
        }
        skipped();
        out.append("<footer>mysql-lifecycle ").append(escape(version)).append("</footer>\n</body>\n</html>\n");
        return out.toString();
    }

    private void summary() {
        out.append("<h2>Last dumps</h2>\n<table class=\"summary\">\n<thead><tr><th>Databases</th><th>Dumps</th>")
                .append("<th>Last dump</th><th>Last verified dump</th></tr></thead>\n<tbody>\n");
        for (int i = 0; i < series.size(); i++) {
            DumpHistory.Series one = series.get(i);
            DumpHistory.Dump verified = one.lastVerified();
            out.append("<tr><td>").append(swatch(i)).append(escape(one.databases())).append("</td><td class=\"n\">")
                    .append(one.dumps().size()).append("</td><td>").append(when(one.last())).append("</td><td>")
                    .append(verified == null ? "<span class=\"never\">never</span>" : when(verified))
                    .append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    private String when(DumpHistory.Dump dump) {
        return escape(Durations.describe(history.age(dump.startedAt()))) + " ago <span class=\"at\">("
                + MINUTE.format(dump.startedAt()) + ", " + escape(dump.file()) + ")</span>";
    }

    private void charts() {
        out.append("<h2>Over time</h2>\n<p class=\"legend\">");
        for (int i = 0; i < series.size(); i++) {
            out.append("<span class=\"key\">").append(swatch(i)).append(escape(series.get(i).databases()))
                    .append("</span> ");
        }
        out.append("<span class=\"key\"><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><circle cx=\"6\""
                + " cy=\"6\" r=\"4.5\" fill=\"#555\" stroke=\"#222\" stroke-width=\"1.5\"/></svg>verified</span> "
                + "<span class=\"key\"><svg width=\"12\" height=\"12\" aria-hidden=\"true\"><circle cx=\"6\""
                + " cy=\"6\" r=\"4\" fill=\"#fff\" stroke=\"#555\" stroke-width=\"2\"/></svg>not verified</span>")
                .append("</p>\n");
        out.append("<div class=\"charts\">\n");
        chart("size", "Size on disk", Metric.SIZE);
        chart("duration", "Duration", Metric.DURATION);
        out.append("</div>\n");
    }

    /** What a chart plots, and how its axis reads. */
    private enum Metric {
        SIZE {
            @Override
            long of(DumpHistory.Dump dump) {
                return dump.manifest().bytes();
            }

            @Override
            Scale scale(double max) {
                double unit = 1;
                String[] names = {"B", "KiB", "MiB", "GiB", "TiB"};
                int index = 0;
                while (max / unit >= 1024 && index < names.length - 1) {
                    unit *= 1024;
                    index++;
                }
                return new Scale(unit, names[index]);
            }

            @Override
            String describe(long value) {
                return Bytes.describe(value);
            }
        },
        DURATION {
            @Override
            long of(DumpHistory.Dump dump) {
                return dump.manifest().run().millis();
            }

            @Override
            Scale scale(double max) {
                if (max < 2_000) {
                    return new Scale(1, "ms");
                }
                if (max < 180_000) {
                    return new Scale(1_000, "s");
                }
                return max < 3 * 3_600_000 ? new Scale(60_000, "min") : new Scale(3_600_000, "h");
            }

            @Override
            String describe(long value) {
                return Durations.describe(Duration.ofMillis(value));
            }
        };

        /** The dump's value; negative when its manifest does not record it. */
        abstract long of(DumpHistory.Dump dump);

        abstract Scale scale(double max);

        abstract String describe(long value);
    }

    /** An axis unit: values are divided by {@code unit} and labelled with {@code name}. */
    private record Scale(double unit, String name) {
    }

    private void chart(String id, String caption, Metric metric) {
        long max = 0;
        long unknown = 0;
        Instant first = null;
        Instant last = null;
        for (DumpHistory.Dump dump : history.dumps()) {
            long value = metric.of(dump);
            if (value < 0) {
                unknown++;
                continue;
            }
            max = Math.max(max, value);
            first = first == null || dump.startedAt().isBefore(first) ? dump.startedAt() : first;
            last = last == null || dump.startedAt().isAfter(last) ? dump.startedAt() : last;
        }
        out.append("<figure>\n<figcaption>").append(escape(caption)).append(unknown == 0 ? ""
                : " (" + count(unknown, "dump") + " without one recorded)").append("</figcaption>\n");
        if (first == null) {
            out.append("<p class=\"empty\">No dump here records it.</p>\n</figure>\n");
            return;
        }
        Scale scale = metric.scale(max);
        double step = niceStep(max / scale.unit() / 4);
        double top = Math.max(step, Math.ceil(max / scale.unit() / step) * step);
        long from = first.toEpochMilli();
        long to = last.toEpochMilli();
        // one instant gets an hour around it; a span, a margin so that no point sits on the chart's edge
        long pad = to == from ? 1_800_000 : Math.max(1, (to - from) / 20);
        from -= pad;
        to += pad;
        Plot plot = new Plot(from, to, top * scale.unit());

        out.append("<svg class=\"chart\" data-chart=\"").append(id).append("\" viewBox=\"0 0 ").append(WIDTH)
                .append(' ').append(HEIGHT).append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"").append(escape(caption)).append(" of each dump over time\">\n");
        for (int i = 0; i <= Math.round(top / step); i++) {
            double value = i * step;
            double y = plot.y(value * scale.unit());
            out.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                    .append("\" y1=\"").append(format(y)).append("\" y2=\"").append(format(y)).append("\"/>")
                    .append("<text class=\"y\" x=\"").append(LEFT - 8).append("\" y=\"").append(format(y + 4))
                    .append("\">").append(escape(number(value) + " " + scale.name())).append("</text>\n");
        }
        long span = last.toEpochMilli() - first.toEpochMilli();
        DateTimeFormatter labels = span > 3L * 24 * 3_600_000 ? DAY : span > 600_000 || span == 0 ? HOUR_MINUTE
                : TIME;
        int labelCount = first.equals(last) ? 1 : 4;
        for (int i = 0; i < labelCount; i++) {
            long at = first.toEpochMilli() + (labelCount == 1 ? 0
                    : (last.toEpochMilli() - first.toEpochMilli()) * i / (labelCount - 1));
            double x = plot.x(at);
            // the outer labels end at the chart's edges rather than run over them
            String anchor = labelCount == 1 ? "middle" : i == 0 ? "start" : i == labelCount - 1 ? "end" : "middle";
            out.append("<text class=\"x\" text-anchor=\"").append(anchor).append("\" x=\"").append(format(x))
                    .append("\" y=\"").append(HEIGHT - BOTTOM + 20)
                    .append("\">").append(labels.format(Instant.ofEpochMilli(at))).append("</text>\n");
        }
        out.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                .append("\" y1=\"").append(HEIGHT - BOTTOM).append("\" y2=\"").append(HEIGHT - BOTTOM)
                .append("\"/>\n");
        for (int i = 0; i < series.size(); i++) {
            String color = COLORS[i % COLORS.length];
            StringBuilder line = new StringBuilder();
            StringBuilder points = new StringBuilder();
            int plotted = 0;
            for (DumpHistory.Dump dump : series.get(i).dumps()) {
                long value = metric.of(dump);
                if (value < 0) {
                    continue;
                }
                plotted++;
                String x = format(plot.x(dump.startedAt().toEpochMilli()));
                String y = format(plot.y(value));
                line.append(x).append(',').append(y).append(' ');
                points.append("<circle class=\"dump\" data-dump=\"").append(escape(dump.file()))
                        .append("\" data-verified=\"").append(dump.verified()).append("\" cx=\"").append(x)
                        .append("\" cy=\"").append(y).append(dump.verified()
                                ? "\" r=\"4.5\" fill=\"" + color + "\" stroke=\"#222\" stroke-width=\"1.5\">"
                                : "\" r=\"4\" fill=\"#fff\" stroke=\"" + color + "\" stroke-width=\"2\">")
                        .append("<title>").append(escape(dump.file() + ": " + metric.describe(value) + ", "
                                + MINUTE.format(dump.startedAt()) + (dump.verified() ? ", verified" : "")))
                        .append("</title></circle>\n");
            }
            if (plotted > 1) {
                out.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.5\"")
                        .append(" points=\"").append(line.toString().strip()).append("\"/>\n");
            }
            out.append(points);
        }
        out.append("</svg>\n</figure>\n");
    }

    /** Where a time and a value land in the chart's area. */
    private record Plot(long fromMillis, long toMillis, double top) {
        double x(long atMillis) {
            return LEFT + (double) (atMillis - fromMillis) / (toMillis - fromMillis) * (WIDTH - LEFT - RIGHT);
        }

        double y(double value) {
            return HEIGHT - BOTTOM - value / top * (HEIGHT - TOP - BOTTOM);
        }
    }

    /** A step of 1, 2 or 5 times a power of ten, at least {@code rough}: grid lines a reader can add up. */
    static double niceStep(double rough) {
        if (!(rough > 0)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double factor : new double[] {1, 2, 5, 10}) {
            if (factor * power >= rough) {
                return factor * power;
            }
        }
        return 10 * power;
    }

    private void table() {
        out.append("<h2>Dumps, newest first</h2>\n<table class=\"dumps\">\n<thead><tr><th>Started</th>")
                .append("<th>Databases</th><th>File</th><th>Method</th><th>Size</th><th>SQL</th><th>Duration</th>")
                .append("<th>Tables</th><th>Rows</th><th>Verified</th><th>Binary log</th><th>SHA-256</th>")
                .append("<th>Server</th></tr></thead>\n<tbody>\n");
        for (DumpHistory.Dump dump : history.dumps()) {
            Manifest manifest = dump.manifest();
            Manifest.Run run = manifest.run();
            out.append("<tr data-dump=\"").append(escape(dump.file())).append("\"><td class=\"at\">")
                    .append(SECOND.format(dump.startedAt())).append("</td><td>").append(escape(dump.databases()))
                    .append("</td><td class=\"file\">").append(escape(dump.file()))
                    .append(manifest.directory() ? "/" : "").append("</td><td>")
                    .append(method(manifest)).append("</td><td class=\"n\">")
                    .append(manifest.bytes() < 0 ? "" : escape(Bytes.describe(manifest.bytes())))
                    .append("</td><td class=\"n\">")
                    .append(run.rawBytes() < 0 ? "" : escape(Bytes.describe(run.rawBytes())))
                    .append("</td><td class=\"n\">")
                    .append(run.millis() < 0 ? "" : escape(Durations.describe(Duration.ofMillis(run.millis()))))
                    .append("</td><td class=\"n\">").append(run.tables() < 0 ? "" : run.tables())
                    .append("</td><td class=\"n\">")
                    .append(run.rows() < 0 ? "" : String.format(Locale.ROOT, "%,d", run.rows()))
                    .append("</td><td>").append(run.verified() ? "<span class=\"yes\">verified</span>" : "no")
                    .append("</td><td>").append(manifest.binlog() == null ? "" : manifest.binlog().logging()
                            ? escape(manifest.binlog().toString()) : "off")
                    .append("</td><td><code title=\"").append(escape(manifest.sha256())).append("\">")
                    .append(escape(manifest.sha256().substring(0, SHA256_SHOWN))).append("</code></td><td>")
                    .append(manifest.serverVersion() == null ? "" : escape(manifest.serverVersion()))
                    .append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    /** The tool (its version in the cell's title), the format and the compression. */
    private static String method(Manifest manifest) {
        Manifest.Run run = manifest.run();
        String shown = (run.tool() == null ? "" : run.tool() + ", ") + (manifest.directory() ? "directory" : "file")
                + ", " + manifest.compression().id();
        return run.toolVersion() == null ? escape(shown)
                : "<span title=\"" + escape(run.toolVersion()) + "\">" + escape(shown) + "</span>";
    }

    private void skipped() {
        if (history.skipped().isEmpty()) {
            return;
        }
        out.append("<h2>Skipped</h2>\n<p>Not counted above: these are not dumps of this tool as their manifests")
                .append(" describe them.</p>\n<ul class=\"skipped\">\n");
        for (DumpHistory.Skipped skipped : history.skipped()) {
            out.append("<li><code>").append(escape(skipped.file())).append("</code>: ")
                    .append(escape(skipped.reason())).append("</li>\n");
        }
        out.append("</ul>\n");
    }

    private static String swatch(int index) {
        return "<span class=\"swatch\" style=\"background:" + COLORS[index % COLORS.length] + "\"></span>";
    }

    private static String count(long n, String one) {
        return count(n, one, one + "s");
    }

    private static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.2f", value).replaceAll("0+$", "");
    }

    private static String format(double coordinate) {
        return String.format(Locale.ROOT, "%.1f", coordinate);
    }

    /**
     * Text for an element's content or a quoted attribute value. Characters no HTML document may hold (controls, a
     * lone surrogate) become U+FFFD, so that a damaged name cannot make the page invalid either.
     */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> {
                    boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1));
                    if (pair) {
                        escaped.append(c).append(text.charAt(++i));
                    } else if (c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || Character.isSurrogate(c)) {
                        escaped.append('\ufffd');
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;margin:24px;\
            color:#1b1b1b;background:#fff;font-size:14px}
            h1{font-size:20px;margin:0 0 4px}h1 code{font-size:18px}h2{font-size:16px;margin:24px 0 8px}
            .meta{color:#555;max-width:1000px}.empty{color:#555;font-style:italic}
            table{border-collapse:collapse}th,td{border-bottom:1px solid #ddd;padding:4px 8px;text-align:left;\
            vertical-align:top}th{background:#f3f3f3;font-weight:600}table.dumps{font-size:13px}td.n{text-align:right;white-space:nowrap}
            td.file{overflow-wrap:anywhere;min-width:8em;max-width:20em}td.at{white-space:nowrap}span.at{color:#666}
            .never{color:#b00020;font-weight:600}.charts{display:flex;flex-wrap:wrap;gap:0 24px}
            .yes{color:#006b3c;font-weight:600}code{font-family:ui-monospace,"DejaVu Sans Mono",monospace}
            .swatch{display:inline-block;width:10px;height:10px;margin-right:6px;border-radius:2px}
            .legend .key{margin-right:16px;white-space:nowrap}.legend svg{vertical-align:middle;margin-right:4px}
            figure{margin:8px 0 16px}figcaption{font-weight:600;margin-bottom:4px}
            svg.chart{background:#fff;border:1px solid #e3e3e3;max-width:100%;height:auto}
            svg.chart .grid{stroke:#e6e6e6}svg.chart .axis{stroke:#888}
            svg.chart text{font-size:11px;fill:#444}svg.chart text.y{text-anchor:end}
            ul.skipped li{margin-bottom:4px}footer{margin-top:32px;color:#888;font-size:12px}
            """;
}
