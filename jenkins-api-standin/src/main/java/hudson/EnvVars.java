package hudson;

import java.util.Map;
import java.util.TreeMap;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses (overrideAll as the real one, for the tests). */
public class EnvVars extends TreeMap<String, String> {
    public EnvVars() {
        super(String.CASE_INSENSITIVE_ORDER);
    }

    public EnvVars(Map<String, String> m) {
        this();
        putAll(m);
    }

    public EnvVars overrideAll(Map<String, String> all) {
        for (Map.Entry<String, String> e : all.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (value == null || value.isEmpty()) {
                remove(key);
            } else if (key.indexOf('+') > 0) { // PATH+XYZ: prepended to PATH
                String realKey = key.substring(0, key.indexOf('+'));
                String old = get(realKey);
                put(realKey, old == null ? value : value + java.io.File.pathSeparatorChar + old);
            } else {
                put(key, value);
            }
        }
        return this;
    }
}
