/**
 * The server's programs and client tools on a host: which binary, which version and flavor, and the 0600 option file
 * that carries a password to them.
 */
package io.jenkins.plugins.mysqllifecycle.engine.tools;
