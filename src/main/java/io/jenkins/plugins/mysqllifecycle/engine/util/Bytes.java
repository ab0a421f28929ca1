package io.jenkins.plugins.mysqllifecycle.engine.util;

import java.util.Locale;

/** How sizes read in log lines. */
public final class Bytes {
    private Bytes() {
    }

    public static String describe(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
