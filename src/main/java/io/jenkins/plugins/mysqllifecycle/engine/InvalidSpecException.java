package io.jenkins.plugins.mysqllifecycle.engine;

/** The caller asked for something that cannot work; nothing was started, signalled or written. */
public class InvalidSpecException extends EngineException {
    private static final long serialVersionUID = 1L;

    public InvalidSpecException(String message) {
        super(message);
    }
}
