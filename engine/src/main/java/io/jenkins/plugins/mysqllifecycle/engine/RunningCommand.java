package io.jenkins.plugins.mysqllifecycle.engine;

import java.io.InputStream;
import java.time.Duration;
import java.util.OptionalInt;

/** A command whose standard output the caller streams; standard error is collected on the side. */
public interface RunningCommand extends AutoCloseable {

    InputStream stdout();

    /** The last lines the command wrote to standard error so far. */
    String stderrTail();

    /** Waits at most {@code timeout}; empty if the command is still running then. */
    OptionalInt waitFor(Duration timeout) throws InterruptedException;

    /** Ends the command and everything it started: SIGTERM, and SIGKILL if it is still there after a short grace. */
    void destroy() throws InterruptedException;

    /** Releases the streams; destroys the command if it still runs. */
    @Override
    void close() throws InterruptedException;
}
