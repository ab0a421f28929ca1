package hudson.util;

import java.io.Serializable;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public final class Secret implements Serializable {
    private final String value;

    Secret(String value) {
        this.value = value;
    }

    @Override
    @Deprecated
    public String toString() {
        return value;
    }

    public String getPlainText() {
        return value;
    }

    public static Secret fromString(String data) {
        return new Secret(data == null ? "" : data);
    }

    public static String toString(Secret s) {
        return s == null ? "" : s.value;
    }
}
