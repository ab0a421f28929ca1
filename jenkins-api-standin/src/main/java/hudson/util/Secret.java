package hudson.util;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public final class Secret implements Serializable {
    private static final String MARKER = "stand-in:";

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

    public String getEncryptedValue() {
        String reversed = new StringBuilder(value).reverse().toString();
        byte[] payload = (MARKER + reversed).getBytes(StandardCharsets.UTF_8);
        return "{" + Base64.getEncoder().encodeToString(payload) + "}";
    }

    public static Secret fromString(String data) {
        String text = data == null ? "" : data;
        if (text.length() > 2 && text.startsWith("{") && text.endsWith("}")) {
            try {
                byte[] payload = Base64.getDecoder().decode(text.substring(1, text.length() - 1));
                String decoded = new String(payload, StandardCharsets.UTF_8);
                if (decoded.startsWith(MARKER)) {
                    return new Secret(new StringBuilder(decoded.substring(MARKER.length())).reverse().toString());
                }
            } catch (IllegalArgumentException e) {
            }
        }
        return new Secret(text);
    }

    public static String toString(Secret s) {
        return s == null ? "" : s.value;
    }
}
