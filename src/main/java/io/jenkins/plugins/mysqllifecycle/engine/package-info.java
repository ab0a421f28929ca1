/**
 * The engine's API: what the plugin and the CLI say to it and get back. Specs, results, the exceptions that carry a
 * message for the user, and the few enums and values they are made of; all immutable and {@code Serializable}, with no
 * Jenkins class anywhere in the engine.
 */
package io.jenkins.plugins.mysqllifecycle.engine;
