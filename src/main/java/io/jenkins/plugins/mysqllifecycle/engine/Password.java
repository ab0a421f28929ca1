package io.jenkins.plugins.mysqllifecycle.engine;

import java.io.Serializable;

/**
 * A database password on its way to an option file. It prints as {@code ****}, so no log line, exception or
 * {@code toString()} of a spec can show it.
 */
public final class Password implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String value;

    private Password(String value) {
        this.value = value;
    }

    /** Null or empty means "no password". */
    public static Password of(String value) {
        return value == null || value.isEmpty() ? null : new Password(value);
    }

    /** The clear text, for the one place that needs it: the 0600 option file. */
    public String reveal() {
        return value;
    }

    /** Whether {@code text} contains the clear password: for callers that must prove it did not leak. */
    public boolean appearsIn(String text) {
        return text != null && text.contains(value);
    }

    @Override
    public String toString() {
        return "****";
    }
}
