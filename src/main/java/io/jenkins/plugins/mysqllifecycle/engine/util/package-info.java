/**
 * Small helpers every other engine package uses: deadlines and the one wait loop, durations and byte counts as
 * people read them, the engine's log, and its minimal JSON.
 */
package io.jenkins.plugins.mysqllifecycle.engine.util;
