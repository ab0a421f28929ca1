package io.jenkins.plugins.mysqllifecycle.engine.server;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.host.CommandResult;
import io.jenkins.plugins.mysqllifecycle.engine.host.Host;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A server's error log as one start-up sees it: the file exists and belongs to the server's account before the
 * server opens it, and {@link #lastLines} shows only what this start wrote, not an older run's lines.
 */
final class ErrorLog {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final Host host;
    private final String path;
    private final long startOffset;

    private ErrorLog(Host host, String path, long startOffset) {
        this.host = host;
        this.path = path;
        this.startOffset = startOffset;
    }

    static ErrorLog prepare(Host host, String path, String owner) throws EngineException {
        try {
            return new ErrorLog(host, path, host.touch(path, owner));
        } catch (IOException | RuntimeException e) {
            throw new EngineException("Cannot prepare the error log " + path + " on " + host.describe() + ": "
                    + e.getMessage(), e);
        }
    }

    String path() {
        return path;
    }

    /**
     * The last {@code count} lines written since {@link #prepare}; a note instead if the log cannot be read. Read
     * with O_NOFOLLOW (dd's iflag=nofollow): the server's account can swap the log for a link to any file between
     * the start and this look, and these lines go into the start's error message.
     */
    String lastLines(int count) throws InterruptedException {
        try {
            CommandResult result = run(host, List.of("sh", "-c", "dd if=\"$2\" iflag=nofollow,skip_bytes skip=\"$1\""
                    + " bs=65536 status=none 2>&1 | tail -n \"$3\"", "sh", Long.toString(startOffset), path,
                    Integer.toString(count)));
            String text = result.stdout().strip();
            return text.isEmpty() ? "(the server wrote nothing to " + path + ")" : text;
        } catch (EngineException e) {
            return "(cannot read " + path + ": " + e.getMessage() + ")";
        }
    }

    private static CommandResult run(Host host, List<String> command) throws EngineException, InterruptedException {
        try {
            return host.run(command, COMMAND_TIMEOUT);
        } catch (IOException e) {
            throw new EngineException("Cannot run a shell on " + host.describe() + ": " + e.getMessage(), e);
        }
    }
}
