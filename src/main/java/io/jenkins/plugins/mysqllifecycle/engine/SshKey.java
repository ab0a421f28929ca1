package io.jenkins.plugins.mysqllifecycle.engine;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * A private key given as its text (OpenSSH or PEM, as a credentials store keeps it) rather than as a file: for a key
 * that must not be written to the machine that uses it. Like {@link Password} it prints as {@code ****}; the bytes are
 * copied in and out, so nobody holding one can change it, and the copy handed to JSch (which clears it) is its own.
 */
public final class SshKey implements Serializable {
    private static final long serialVersionUID = 1L;

    private final byte[] key;

    private SshKey(byte[] key) {
        this.key = key;
    }

    /** Null or blank text means "no key". */
    public static SshKey of(String text) {
        return text == null || text.isBlank() ? null : new SshKey(text.getBytes(StandardCharsets.UTF_8));
    }

    /** A fresh copy of the key's bytes, for the one place that needs them: JSch's addIdentity. */
    public byte[] reveal() {
        return key.clone();
    }

    /**
     * Whether {@code text} contains a line of the key's body: for callers that must prove it did not leak. The
     * armour lines ({@code -----BEGIN ...}) are no secret and are not looked for.
     */
    public boolean appearsIn(String text) {
        if (text == null) {
            return false;
        }
        for (String line : new String(key, StandardCharsets.UTF_8).split("\\R")) {
            String body = line.strip();
            if (body.length() >= 16 && !body.startsWith("-----") && !body.contains(":") && text.contains(body)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "****";
    }
}
