package io.jenkins.plugins.mysqllifecycle.engine.dump;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.host.Host;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Starts the kernel writing a dump file to disk while the dump tool still writes it, so that the force after the
 * tool's last byte, which the dump waits for, finds little left: forced only at its end, a 1.3 GB dump spent 0.7 to
 * 0.95 s in that force with nothing else to do (8 paired runs, docs/benchmarks.md), and 50 to 100 ms with this.
 *
 * <p>Java cannot start a writeback without waiting for it (Linux's sync_file_range), and a force (fdatasync) at
 * every step would also commit the file system's journal and flush the disk's cache each time, under the writer.
 * {@code dd iflag=nocache count=0} asks the kernel through {@code posix_fadvise(POSIX_FADV_DONTNEED)}: the dirty pages
 * are queued for writing without waiting, and the clean ones leave the page cache, so that a dump no longer evicts
 * what other programs keep there. Those are pages the dump's copier has read and hashed already: it reads right
 * behind the tool. Best effort: a step that fails or is skipped leaves more for the final force, which the dump
 * relies on.
 */
final class EarlyWriteback implements Runnable {
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(1);

    private final Host host;
    private final Path file;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean stopped;

    EarlyWriteback(Host host, Path file) {
        this.host = host;
        this.file = file;
    }

    /** Starts a step on a thread of its own, unless one still runs (the disk is behind: it catches up meanwhile). */
    @Override
    public void run() {
        if (stopped || !running.compareAndSet(false, true)) {
            return;
        }
        Thread step = new Thread(() -> {
            try {
                host.run(List.of("dd", "if=" + file, "iflag=nocache,nofollow", "count=0", "status=none"),
                        STEP_TIMEOUT);
            } catch (IOException | EngineException | RuntimeException ignored) {
                // the final force writes what this did not
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                running.set(false);
            }
        }, "mysql-lifecycle early writeback of " + file);
        step.setDaemon(true);
        step.start();
    }

    /** No step starts after this; one that runs ends on its own, harmlessly, even once the file is gone. */
    void stop() {
        stopped = true;
    }
}
