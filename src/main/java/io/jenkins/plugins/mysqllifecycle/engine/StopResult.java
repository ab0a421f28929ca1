package io.jenkins.plugins.mysqllifecycle.engine;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a stop ended.
 *
 * @param signal         the last signal sent, or null when none was needed
 * @param forced         SIGKILL ended the server (after the timeout, when asked to): not a clean shutdown
 * @param alreadyStopped the server had exited before the stop; nothing was signalled
 */
public record StopResult(long pid, long millis, Signal signal, boolean forced, boolean alreadyStopped)
        implements Serializable {

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("pid", pid);
        map.put("millis", millis);
        map.put("signal", signal == null ? null : signal.name());
        map.put("forced", forced);
        map.put("alreadyStopped", alreadyStopped);
        return map;
    }
}
