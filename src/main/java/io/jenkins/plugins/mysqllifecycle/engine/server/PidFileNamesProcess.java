package io.jenkins.plugins.mysqllifecycle.engine.server;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.host.Host;
import io.jenkins.plugins.mysqllifecycle.engine.util.WaitLoop;
import java.io.IOException;

/** The server has written its pid file, and it names the process that was started (not a stale one). */
final class PidFileNamesProcess implements ReadinessCheck {
    private final Host host;
    private final String pidFile;
    private final long pid;

    PidFileNamesProcess(Host host, String pidFile, long pid) {
        this.host = host;
        this.pidFile = pidFile;
        this.pid = pid;
    }

    @Override
    public String describe() {
        return "the pid file " + pidFile + " to name pid " + pid;
    }

    @Override
    public boolean isMet() throws WaitLoop.NotYet, EngineException {
        String content;
        try {
            content = host.readFile(pidFile).orElse("").strip();
        } catch (IOException e) {
            throw new WaitLoop.NotYet("cannot read " + pidFile + ": " + e.getMessage(), e);
        }
        if (content.isEmpty()) {
            return false;
        }
        if (!content.equals(Long.toString(pid))) {
            throw new WaitLoop.NotYet(pidFile + " names pid " + content + ", not " + pid, null);
        }
        return true;
    }
}
