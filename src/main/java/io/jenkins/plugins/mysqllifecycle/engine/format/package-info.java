/**
 * The on-disk contract of a dump, in one place: its file names, its manifest, a directory dump's metadata, the
 * SHA-256 of what is on disk, and the checks a dump must pass before anything reads it.
 */
package io.jenkins.plugins.mysqllifecycle.engine.format;
