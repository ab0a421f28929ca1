package hudson;

import java.util.Map;
import java.util.TreeMap;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public class EnvVars extends TreeMap<String, String> {
    public EnvVars() {
        super(String.CASE_INSENSITIVE_ORDER);
    }

    public EnvVars(Map<String, String> m) {
        this();
        putAll(m);
    }
}
