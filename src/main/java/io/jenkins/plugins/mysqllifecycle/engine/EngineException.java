package io.jenkins.plugins.mysqllifecycle.engine;

/**
 * An operation failed for a reason the user can act on; the message names the cause and, where known, the fix.
 * Subclasses say whether the input was wrong ({@link InvalidSpecException}) or a wait ran out
 * ({@link OperationTimeoutException}); the CLI maps the three to exit codes 1, 2 and 3.
 */
public class EngineException extends Exception {
    private static final long serialVersionUID = 1L;

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
