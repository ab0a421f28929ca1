package io.jenkins.plugins.mysqllifecycle.engine.host;

import java.util.List;

/** A finished command: its exit status and the tail of what it printed. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** stderr, or stdout when stderr is empty, trimmed: what a tool says when it fails. */
    public String diagnostics() {
        String text = stderr.isBlank() ? stdout : stderr;
        return text.strip();
    }
}
