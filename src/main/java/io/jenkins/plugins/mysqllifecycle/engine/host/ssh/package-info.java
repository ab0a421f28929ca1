/**
 * A {@code Host} on another machine, over JSch: commands in exec channels, files through the channel, ports
 * through forwards, and the host-key policy.
 */
package io.jenkins.plugins.mysqllifecycle.engine.host.ssh;
