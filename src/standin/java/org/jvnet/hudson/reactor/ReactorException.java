package org.jvnet.hudson.reactor;

/** Stand-in for the task-reactor library Jenkins 2.479.3 bundles: only what the constructor of Jenkins throws. */
public class ReactorException extends Exception {
    ReactorException(Throwable cause) {
        super(cause);
    }
}
