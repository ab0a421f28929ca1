package io.jenkins.plugins.mysqllifecycle.engine.util;

import java.io.PrintStream;

/**
 * Plain sentences for a human: the CLI's stderr or a Jenkins build log. Each line names what it is about, so the
 * lines of several servers in one log stay apart.
 */
public final class Log {
    private final PrintStream out;
    private final String subject;

    public Log(PrintStream out) {
        this(out, "");
    }

    private Log(PrintStream out, String subject) {
        this.out = out;
        this.subject = subject;
    }

    /** A log whose lines start with {@code [subject]}. */
    public Log about(String subject) {
        return new Log(out, subject);
    }

    public void info(String message) {
        if (subject.isEmpty()) {
            out.println(message);
        } else {
            out.println("[" + subject + "] " + message);
        }
        out.flush();
    }

    public void warn(String message) {
        info("WARNING: " + message);
    }
}
