/**
 * A {@link io.jenkins.plugins.mysqllifecycle.engine.host.Host} is where commands run and files live: this machine
 * ({@link io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost}) or another one over SSH; with it, the running
 * command, its bounded output, and what {@code /proc} says about a process.
 */
package io.jenkins.plugins.mysqllifecycle.engine.host;
