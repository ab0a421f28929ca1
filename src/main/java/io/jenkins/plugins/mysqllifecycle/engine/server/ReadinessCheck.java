package io.jenkins.plugins.mysqllifecycle.engine.server;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.WaitLoop;
import java.time.Duration;
import java.util.List;

/**
 * One condition a starting server must meet before it counts as ready.
 *
 * <p>The rules for combining them ({@link #awaitAll}): checks are tried in the order given, each until it holds,
 * all within one deadline (the ready timeout); before every try the server process must still be alive, so a
 * server that dies fails the start at once instead of at the timeout.
 */
public interface ReadinessCheck {

    /** What is awaited, as in "waiting for {@code describe()}". */
    String describe();

    /** True once the condition holds; false or {@link WaitLoop.NotYet} (with the reason) while it does not. */
    boolean isMet() throws WaitLoop.NotYet, EngineException, InterruptedException;

    /**
     * Short pauses: each try is cheap (a pid file, a refused TCP connect), and the last pause, the one during which
     * the server became ready, is most of the start's overhead: with pauses growing to 50 ms the start took 46-51 ms
     * longer than a spawn polled every millisecond, with at most 10 ms about 15 ms (bin/bench --only start).
     */
    WaitLoop POLLING = new WaitLoop(Duration.ofMillis(2), Duration.ofMillis(10));

    static void awaitAll(List<ReadinessCheck> checks, Deadline deadline, WaitLoop.Liveness liveness)
            throws EngineException, InterruptedException {
        for (ReadinessCheck check : checks) {
            POLLING.await(check.describe(), deadline, liveness,
                    () -> check.isMet() ? java.util.Optional.of(Boolean.TRUE) : java.util.Optional.empty());
        }
    }
}
