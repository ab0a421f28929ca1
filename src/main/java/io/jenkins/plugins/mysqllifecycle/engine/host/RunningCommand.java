package io.jenkins.plugins.mysqllifecycle.engine.host;

import java.time.Duration;
import java.util.OptionalInt;

/** A started command; standard error is collected on the side. */
public interface RunningCommand extends AutoCloseable {

    /** The last lines the command wrote to standard error so far. */
    String stderrTail();

    /** Waits at most {@code timeout}; empty if the command is still running then. */
    OptionalInt waitFor(Duration timeout) throws InterruptedException;

    /** Ends the command and everything it started: SIGTERM, and SIGKILL if it is still there after a short grace. */
    void destroy() throws InterruptedException;

    /** Destroys the command if it still runs and releases its streams. */
    @Override
    void close() throws InterruptedException;
}
