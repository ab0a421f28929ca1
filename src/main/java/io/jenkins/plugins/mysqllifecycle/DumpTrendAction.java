package io.jenkins.plugins.mysqllifecycle;

import io.jenkins.plugins.echarts.AsyncTrendChart;
import io.jenkins.plugins.mysqllifecycle.engine.util.Json;
import hudson.model.Action;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.Run;
import org.kohsuke.stapler.StaplerResponse2;
import org.kohsuke.stapler.bind.JavaScriptMethod;
import org.kohsuke.stapler.verb.GET;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The dump trend on a job's page: charts of size and duration per build, per series of the same databases on the same
 * host, drawn by the echarts-api plugin (floatingBox.jelly), and the same data as JSON at
 * {@code job/NAME/mysql-dumps/trend}. Added by the job's last successful build's {@link DumpsAction}, as the JUnit
 * plugin's trend is. Only users who may read the job get anything from it.
 */
public final class DumpTrendAction implements Action {
    /** How many of the newest builds the trend looks at; the echarts-api plugin's trends default to as many. */
    static final int BUILDS = 50;

    private final Job<?, ?> job;

    DumpTrendAction(Job<?, ?> job) {
        this.job = job;
    }

    /** The newest {@link #BUILDS} builds' dumps. */
    DumpTrend trend() {
        List<DumpTrend.Build> builds = new ArrayList<>();
        Run<?, ?> build = job.getLastBuild();
        for (int i = 0; build != null && i < BUILDS; i++, build = build.getPreviousBuild()) {
            DumpsAction dumps = build.getAction(DumpsAction.class);
            if (dumps != null) {
                builds.add(new DumpTrend.Build(build.getNumber(), build.getDisplayName(), dumps.records()));
            }
        }
        return new DumpTrend(builds);
    }

    /** {@code job/NAME/mysql-dumps/trend}: the trend as JSON (see {@link DumpTrend#toMap}). */
    @GET
    public void doTrend(StaplerResponse2 rsp) throws IOException {
        job.checkPermission(Item.READ);
        rsp.setContentType("application/json;charset=UTF-8");
        rsp.getWriter().print(Json.write(trend().toMap()));
    }

    public Chart getSizeChart() {
        return new Chart(DumpTrend.Metric.SIZE);
    }

    public Chart getDurationChart() {
        return new Chart(DumpTrend.Metric.DURATION);
    }

    /** One of the job page's trend charts, as the echarts-api plugin's {@code c:trend-chart} tag draws it. */
    public final class Chart implements AsyncTrendChart {
        private final DumpTrend.Metric metric;

        Chart(DumpTrend.Metric metric) {
            this.metric = metric;
        }

        /** "Dump size (MiB)": the tag shows it above the chart. */
        public String getTitle() {
            return (metric == DumpTrend.Metric.SIZE ? "MySQL dump size" : "MySQL dump duration") + " ("
                    + metric.unit() + "; filled points: verified)";
        }

        @JavaScriptMethod
        @Override
        public String getBuildTrendModel() {
            job.checkPermission(Item.READ);
            return trend().chartModel(metric);
        }

        @Override
        public boolean isTrendVisible() {
            return job.hasPermission(Item.READ) && trend().isVisible();
        }
    }

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return "MySQL dump trend";
    }

    @Override
    public String getUrlName() {
        return "mysql-dumps";
    }
}
