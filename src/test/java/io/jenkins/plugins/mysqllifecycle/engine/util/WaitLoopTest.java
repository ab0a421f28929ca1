package io.jenkins.plugins.mysqllifecycle.engine.util;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.OperationTimeoutException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class WaitLoopTest {
    private final WaitLoop loop = new WaitLoop(Duration.ofMillis(1), Duration.ofMillis(20));

    @Test
    void returnsTheFirstValueAnAttemptYields() throws Exception {
        AtomicInteger tries = new AtomicInteger();
        String value = loop.await("three tries", Deadline.after(Duration.ofSeconds(5)), WaitLoop.Liveness.ALWAYS,
                () -> tries.incrementAndGet() < 3 ? Optional.empty() : Optional.of("done"));
        assertEquals("done", value);
        assertEquals(3, tries.get());
    }

    @Test
    void timeoutSaysWhatWasAwaitedAndKeepsTheLastFailureAsCause() {
        AtomicInteger tries = new AtomicInteger();
        OperationTimeoutException timedOut = assertThrows(OperationTimeoutException.class, () -> loop.await(
                "the moon", Deadline.after(Duration.ofMillis(200)), WaitLoop.Liveness.ALWAYS, () -> {
                    throw new WaitLoop.NotYet("refused #" + tries.incrementAndGet(), null);
                }));
        assertTrue(timedOut.getMessage().contains("waiting for the moon"), timedOut.getMessage());
        assertTrue(timedOut.getMessage().contains("last seen: refused #" + tries.get()), timedOut.getMessage());
        assertEquals("refused #" + tries.get(), timedOut.getCause().getMessage());
        assertTrue(tries.get() > 5, "backoff too slow: " + tries.get() + " tries in 200 ms");
    }

    @Test
    void failedLivenessEndsTheWaitAtOnce() {
        EngineException died = new EngineException("the process died");
        Deadline took = Deadline.after(Duration.ZERO);
        EngineException thrown = assertThrows(EngineException.class, () -> loop.await("never",
                Deadline.after(Duration.ofSeconds(30)), () -> {
                    throw died;
                }, Optional::empty));
        assertSame(died, thrown);
        assertTrue(took.elapsed().compareTo(Duration.ofSeconds(1)) < 0);
    }

    @Test
    void interruptEndsTheWait() {
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> loop.await("never", Deadline.after(Duration.ofSeconds(30)),
                WaitLoop.Liveness.ALWAYS, Optional::empty));
    }

    @Test
    void deadlineNeverReportsNegativeTimeAndCapsJdbcTimeouts() throws Exception {
        Deadline deadline = Deadline.after(Duration.ofMillis(5));
        Thread.sleep(10);
        assertEquals(Duration.ZERO, deadline.remaining());
        assertTrue(deadline.hasExpired());
        assertEquals(1, deadline.remainingMillisCappedAt(Duration.ofSeconds(2)));
        assertEquals(2000, Deadline.after(Duration.ofMinutes(1)).remainingMillisCappedAt(Duration.ofSeconds(2)));
    }
}
