package io.jenkins.plugins.mysqllifecycle.engine;

import java.util.Locale;

/** How a dump is taken. */
public enum DumpMethod {
    /** The server's own dump tool (mariadb-dump or mysqldump, --single-transaction) into one file. */
    MYSQLDUMP,
    /** Several Connector/J connections sharing one snapshot, into a directory of per-table chunk files. */
    PARALLEL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DumpMethod fromId(String id) throws InvalidSpecException {
        for (DumpMethod method : values()) {
            if (method.id().equals(id)) {
                return method;
            }
        }
        throw new InvalidSpecException("method must be mysqldump or parallel, not '" + id + "'");
    }
}
