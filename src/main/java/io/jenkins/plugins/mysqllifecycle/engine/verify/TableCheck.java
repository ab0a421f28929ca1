package io.jenkins.plugins.mysqllifecycle.engine.verify;

import java.io.Serializable;

/**
 * A table's row count and CHECKSUM TABLE, as the source had them in the dump's snapshot; a view's is only that it
 * is there ({@link #VIEW_ROWS}, no checksum).
 */
public record TableCheck(String database, String table, long rows, String checksum) implements Serializable {
    /** The row count of a view's check: a view must exist after the restore, its rows are its tables'. */
    public static final long VIEW_ROWS = -1;

    /** Both names quoted: a dot inside either cannot be mistaken for the one between them. */
    String describe() {
        return "`" + database.replace("`", "``") + "`.`" + table.replace("`", "``") + "`";
    }
}
