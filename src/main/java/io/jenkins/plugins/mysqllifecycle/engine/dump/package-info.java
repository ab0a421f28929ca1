/**
 * Writing dumps: through the server's dump tool (a stream compressed, hashed and renamed into place only when
 * complete), or in parallel through several connections sharing one snapshot.
 */
package io.jenkins.plugins.mysqllifecycle.engine.dump;
