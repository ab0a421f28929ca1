package hudson;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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

    private static final Pattern VARIABLE = Pattern.compile("\\$([A-Za-z0-9_]+|\\{[A-Za-z0-9_.]+\\}|\\$)");

    /**
     * As {@code EnvVars.expand} (through {@code Util.replaceMacro}) in Jenkins 2.479.3: {@code $NAME} and
     * {@code ${NAME}} become the variable's value, undefined variables stay as they are, {@code $$} becomes {@code $}.
     */
    public String expand(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        Matcher matcher = VARIABLE.matcher(s);
        int last = 0;
        while (matcher.find()) {
            String key = matcher.group(1);
            String value = key.equals("$") ? "$"
                    : get(key.startsWith("{") ? key.substring(1, key.length() - 1) : key);
            out.append(s, last, matcher.start()).append(value == null ? matcher.group() : value);
            last = matcher.end();
        }
        return out.append(s.substring(last)).toString();
    }
}
