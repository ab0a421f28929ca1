package io.jenkins.plugins.mysqllifecycle.engine;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a dump's snapshot stands in its source's binary log: what a replica starts from (CHANGE MASTER TO / CHANGE
 * REPLICATION SOURCE TO this file and position, or these GTIDs) and where a point-in-time replay of the binary logs
 * begins. {@link #OFF} when the source writes no binary log.
 *
 * @param file     binary log file name, e.g. {@code binlog.000042}; null when the account may not see it (MySQL's
 *                 SHOW BINARY LOG STATUS needs REPLICATION CLIENT) and only the GTID set is known
 * @param position byte position in {@code file}; -1 with no file
 * @param gtidSet  the GTID set in the source's own notation (MySQL {@code @@gtid_executed}, MariaDB
 *                 {@code @@gtid_binlog_pos}); null when the server has none
 */
public record BinlogCoordinates(boolean logging, String file, long position, String gtidSet) implements Serializable {
    /** The source writes no binary log: a dump of it can seed a copy, not a replica or a replay. */
    public static final BinlogCoordinates OFF = new BinlogCoordinates(false, null, -1, null);
    /** What a manifest's {@code binlog} says for {@link #OFF}. */
    public static final String OFF_IN_MANIFEST = "off";

    public BinlogCoordinates {
        gtidSet = gtidSet == null || gtidSet.isBlank() ? null : gtidSet.replace("\n", "");
        if (file != null && file.isEmpty() || (file == null) != (position < 0)) {
            throw new IllegalArgumentException("a binary log position needs its file, and a file its position");
        }
        if (logging && file == null && gtidSet == null) {
            throw new IllegalArgumentException("binary log coordinates need a file and position, or a GTID set");
        }
    }

    public static BinlogCoordinates at(String file, long position, String gtidSet) {
        return new BinlogCoordinates(true, file, position, gtidSet);
    }

    /** The manifest's {@code binlog}: {@code "off"}, or {@code file}, {@code position} and {@code gtidSet}. */
    public Object toManifestValue() {
        if (!logging) {
            return OFF_IN_MANIFEST;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        if (file != null) {
            map.put("file", file);
            map.put("position", position);
        }
        if (gtidSet != null) {
            map.put("gtidSet", gtidSet);
        }
        return map;
    }

    @Override
    public String toString() {
        if (!logging) {
            return "binary log off";
        }
        return file == null ? "GTIDs " + gtidSet : file + ":" + position + (gtidSet != null ? " (GTIDs " + gtidSet + ")"
                : "");
    }
}
