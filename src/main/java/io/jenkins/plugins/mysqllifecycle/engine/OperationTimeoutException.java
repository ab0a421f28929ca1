package io.jenkins.plugins.mysqllifecycle.engine;

/** A bounded wait ran out; the message says what was awaited, for how long, and what was last seen. */
public class OperationTimeoutException extends EngineException {
    private static final long serialVersionUID = 1L;

    public OperationTimeoutException(String message, Throwable lastFailure) {
        super(message, lastFailure);
    }
}
