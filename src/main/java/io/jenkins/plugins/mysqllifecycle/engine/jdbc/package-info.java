/**
 * Connector/J connections to a server: how the engine opens one and
 * the pool of data connections that share one snapshot.
 */
package io.jenkins.plugins.mysqllifecycle.engine.jdbc;
