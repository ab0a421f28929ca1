/**
 * What the dumps in a directory are, over time: read from their manifests, given as JSON or as one self-contained
 * HTML page with inline SVG charts ({@code report}).
 */
package io.jenkins.plugins.mysqllifecycle.engine.report;
