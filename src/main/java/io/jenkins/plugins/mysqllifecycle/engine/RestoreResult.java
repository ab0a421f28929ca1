package io.jenkins.plugins.mysqllifecycle.engine;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dump loaded into a server.
 *
 * @param format {@link DumpResult#FILE} or {@link DumpResult#DIRECTORY}
 * @param rows   rows loaded, counted for a directory dump; -1 for a file dump (its client tool does not say)
 */
public record RestoreResult(String input, String format, int tables, long rows, long bytes, long millis)
        implements Serializable {

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("input", input);
        map.put("format", format);
        map.put("tables", tables);
        map.put("rows", rows);
        map.put("bytes", bytes);
        map.put("millis", millis);
        return map;
    }
}
