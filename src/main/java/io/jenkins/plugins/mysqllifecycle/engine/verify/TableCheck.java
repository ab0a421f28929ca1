package io.jenkins.plugins.mysqllifecycle.engine.verify;

import java.io.Serializable;

/** A table's row count and CHECKSUM TABLE, as the source had them in the dump's snapshot. */
public record TableCheck(String database, String table, long rows, String checksum) implements Serializable {
    String describe() {
        return database + "." + table;
    }
}
