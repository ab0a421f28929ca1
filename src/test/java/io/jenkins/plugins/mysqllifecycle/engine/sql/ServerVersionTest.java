package io.jenkins.plugins.mysqllifecycle.engine.sql;

import io.jenkins.plugins.mysqllifecycle.engine.Flavor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The statements that differ by flavor and version, for the versions this machine cannot run: MySQL 8.0 and 8.4
 * (MySQL 9.7 and MariaDB 10.11 are also run for real, in MysqlDumpTest and ParallelDumpTest).
 */
class ServerVersionTest {
    @Test
    void binaryLogStatusIsAskedInTheWordsOfEachVersion() {
        assertEquals("SHOW MASTER STATUS", ServerVersion.parse("8.0.36").binaryLogStatusStatement());
        assertEquals("SHOW MASTER STATUS", ServerVersion.parse("8.1.0").binaryLogStatusStatement());
        assertEquals("SHOW BINARY LOG STATUS", ServerVersion.parse("8.2.0").binaryLogStatusStatement());
        assertEquals("SHOW BINARY LOG STATUS", ServerVersion.parse("8.4.3").binaryLogStatusStatement());
        assertEquals("SHOW BINARY LOG STATUS", ServerVersion.parse("9.7.4-2").binaryLogStatusStatement());
        assertEquals("SHOW MASTER STATUS",
                ServerVersion.parse("10.11.19-MariaDB-0+deb12u1").binaryLogStatusStatement());
        assertEquals("SHOW MASTER STATUS", ServerVersion.parse("11.8.2-MariaDB").binaryLogStatusStatement());
    }

    @Test
    void gtidsAreAskedInEachFlavorsOwnVariable() {
        assertEquals("SELECT @@GLOBAL.gtid_executed", ServerVersion.parse("8.0.36").gtidSetQuery());
        assertEquals("SELECT @@gtid_binlog_pos", ServerVersion.parse("10.11.19-MariaDB").gtidSetQuery());
    }

    @Test
    void mariadbsGreetingPrefixIsNotItsVersion() {
        ServerVersion greeted = ServerVersion.parse("5.5.5-10.11.19-MariaDB-0+deb12u1");
        assertEquals(Flavor.MARIADB, greeted.flavor());
        assertEquals(10, greeted.major());
        assertEquals(11, greeted.minor());
        assertEquals("MariaDB 10.11.19-MariaDB-0+deb12u1", greeted.describe());
        ServerVersion mysql = ServerVersion.parse("9.7.4-2");
        assertEquals(Flavor.MYSQL, mysql.flavor());
        assertEquals(9, mysql.major());
        assertEquals("MySQL 9.7.4-2", mysql.describe());
    }
}
