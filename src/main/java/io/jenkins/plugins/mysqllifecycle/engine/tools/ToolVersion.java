package io.jenkins.plugins.mysqllifecycle.engine.tools;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Pulls the version number out of what MySQL and MariaDB programs print for {@code --version}. */
public final class ToolVersion {
    // "mariadb-dump  Ver 10.19 Distrib 10.11.19-MariaDB, for ..." names the server release after "Distrib";
    // "mariadbd  Ver 10.11.19-MariaDB-0+deb12u1 for ..." and "mysqldump  Ver 8.0.36 for Linux" after "Ver".
    private static final Pattern DISTRIB = Pattern.compile("Distrib ([^,\\s]+)");
    private static final Pattern VER = Pattern.compile("Ver ([^,\\s]+)");

    private ToolVersion() {
    }

    public static String parse(String versionOutput) {
        Matcher distrib = DISTRIB.matcher(versionOutput);
        if (distrib.find()) {
            return distrib.group(1);
        }
        Matcher ver = VER.matcher(versionOutput);
        return ver.find() ? ver.group(1) : versionOutput.strip();
    }
}
