/**
 * Keeping the newest N dumps of the same databases and removing older ones, only when they are exactly what their
 * manifests say.
 */
package io.jenkins.plugins.mysqllifecycle.engine.retention;
