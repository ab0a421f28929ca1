package io.jenkins.plugins.mysqllifecycle.engine;

/** The server did not exit within the stop's timeout; {@link #result()} says whether it was then killed. */
public final class StopTimeoutException extends OperationTimeoutException {
    private static final long serialVersionUID = 1L;

    private final StopResult result;

    public StopTimeoutException(String message, StopResult result) {
        super(message, null);
        this.result = result;
    }

    public StopResult result() {
        return result;
    }
}
