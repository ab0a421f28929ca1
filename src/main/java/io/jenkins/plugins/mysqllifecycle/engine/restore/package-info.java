/**
 * Loading a dump into a server: a dump file through the server's own client, a directory dump through several
 * connections, each file checked against the manifest first.
 */
package io.jenkins.plugins.mysqllifecycle.engine.restore;
