/**
 * Proving a dump: the checksums of the source taken in the dump's own snapshot, and a scratch server the dump is
 * restored into and compared with them.
 */
package io.jenkins.plugins.mysqllifecycle.engine.verify;
