package io.jenkins.plugins.mysqllifecycle.engine;

import java.util.List;

/** Which server family a binary belongs to, and so which tools and flags go with it. */
public enum Flavor {
    MARIADB(List.of("mariadb-dump", "mysqldump"), List.of("mariadb-install-db", "mysql_install_db")),
    MYSQL(List.of("mysqldump"), List.of());

    private final List<String> dumpTools;
    private final List<String> installTools;

    Flavor(List<String> dumpTools, List<String> installTools) {
        this.dumpTools = dumpTools;
        this.installTools = installTools;
    }

    /** Dump tool names, preferred first. */
    public List<String> dumpTools() {
        return dumpTools;
    }

    /** Tools that create a data directory; empty when the server initializes itself ({@code --initialize-insecure}). */
    public List<String> installTools() {
        return installTools;
    }

    /** Reads the flavor from a {@code --version} line such as "mariadbd  Ver 10.11.19-MariaDB-0+deb12u1 for ...". */
    public static Flavor fromVersionOutput(String versionOutput) {
        return versionOutput.contains("MariaDB") ? MARIADB : MYSQL;
    }
}
