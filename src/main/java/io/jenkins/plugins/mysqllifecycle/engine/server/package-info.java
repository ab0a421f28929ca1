/**
 * Starting and stopping servers: the launcher with its readiness checks and error log, and the stopper that
 * signals only the verified server process and watches it exit.
 */
package io.jenkins.plugins.mysqllifecycle.engine.server;
