/**
 * SQL as text and as schema: quoting names and writing values as literals byte by byte, reading the databases,
 * tables and stored objects of a snapshot, and naming SQL errors for people.
 */
package io.jenkins.plugins.mysqllifecycle.engine.sql;
