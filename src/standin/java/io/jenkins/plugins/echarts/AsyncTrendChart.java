package io.jenkins.plugins.echarts;

import org.kohsuke.stapler.bind.JavaScriptMethod;

/**
 * Stand-in for the echarts-api plugin 5.6.0-5 (what bom-2.479.x pins): the interface its {@code c:trend-chart} tag
 * draws a chart from, as the plugin declares it.
 */
public interface AsyncTrendChart {
    @JavaScriptMethod
    String getBuildTrendModel();

    boolean isTrendVisible();
}
