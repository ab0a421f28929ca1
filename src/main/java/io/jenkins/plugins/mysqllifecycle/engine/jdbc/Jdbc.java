package io.jenkins.plugins.mysqllifecycle.engine.jdbc;

import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Connector/J connections, made through the driver class itself rather than DriverManager, which cannot see
 * drivers in a Jenkins plugin's class loader.
 */
public final class Jdbc {
    private static final Driver DRIVER = newDriver();

    private Jdbc() {
    }

    private static Driver newDriver() {
        try {
            return new com.mysql.cj.jdbc.Driver();
        } catch (SQLException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Connects without TLS (loopback or a forwarded port), with the caller's user, password and timeouts in
     * {@code properties}.
     */
    public static Connection connect(InetSocketAddress address, Properties properties) throws SQLException {
        Properties all = new Properties();
        all.setProperty("sslMode", "DISABLED");
        all.setProperty("allowPublicKeyRetrieval", "true");
        all.setProperty("characterEncoding", "UTF-8");
        all.putAll(properties);
        String url = "jdbc:mysql://" + address.getHostString() + ":" + address.getPort() + "/";
        Connection connection = DRIVER.connect(url, all);
        if (connection == null) {
            throw new SQLException("Connector/J did not accept " + url);
        }
        return connection;
    }
}
