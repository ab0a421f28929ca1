/**
 * The command-line tool over the engine ({@code bin/mysql-lifecycle}): argument parsing, one JSON object on stdout
 * per command, exit codes, and the demo.
 */
package io.jenkins.plugins.mysqllifecycle.engine.cli;
