package io.jenkins.plugins.mysqllifecycle.engine;

/** The two signals the engine ever sends to a server. */
public enum Signal {
    SIGTERM(15),
    SIGKILL(9);

    private final int number;

    Signal(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }
}
