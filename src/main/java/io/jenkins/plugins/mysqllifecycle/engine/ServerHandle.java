package io.jenkins.plugins.mysqllifecycle.engine;

import java.io.Serializable;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A server the engine started and saw answer SQL: how to reach it, and how to recognise its process later.
 *
 * @param startTicks the process's start time in clock ticks since boot; a stop signals the pid only while this
 *                   still matches, so a recycled pid is never signalled
 */
public record ServerHandle(String host, long pid, int port, String socket, String pidFile, String datadir,
                           String errorLog, String version, Flavor flavor, Instant startedAt, long readyMillis,
                           long startTicks) implements Serializable {

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("host", host);
        map.put("pid", pid);
        map.put("port", port);
        map.put("socket", socket);
        map.put("pidFile", pidFile);
        map.put("datadir", datadir);
        map.put("errorLog", errorLog);
        map.put("version", version);
        map.put("flavor", flavor.name());
        map.put("startedAt", startedAt.toString());
        map.put("readyMillis", readyMillis);
        map.put("startTicks", startTicks);
        return map;
    }

    public static ServerHandle fromMap(Map<String, ?> map) {
        return new ServerHandle((String) map.get("host"), number(map, "pid"), (int) number(map, "port"),
                (String) map.get("socket"), (String) map.get("pidFile"), (String) map.get("datadir"),
                (String) map.get("errorLog"), (String) map.get("version"),
                Flavor.valueOf((String) map.get("flavor")), Instant.parse((String) map.get("startedAt")),
                number(map, "readyMillis"), number(map, "startTicks"));
    }

    private static long number(Map<String, ?> map, String key) {
        Object value = map.get(key);
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException("start record has no number '" + key + "'");
        }
        return number.longValue();
    }

    /** Where the engine keeps a started server's handle, so that a later stop can check the pid's identity. */
    public static String recordPathFor(String pidFile) {
        return pidFile + ".start.json";
    }
}
