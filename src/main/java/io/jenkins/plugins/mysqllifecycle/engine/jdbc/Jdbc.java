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
     * Connects without TLS, to the loopback address or a port the SSH tunnel forwards, with the caller's user,
     * password and timeouts in {@code properties}.
     */
    public static Connection connect(InetSocketAddress address, Properties properties) throws SQLException {
        return connect(address, JdbcTls.NONE, address.getHostString() + ":" + address.getPort(), properties);
    }

    /**
     * Connects with {@code tls}; {@code server} names the server in errors as the caller gave it (host:port), which
     * differs from {@code address} through the SSH tunnel.
     */
    public static Connection connect(InetSocketAddress address, JdbcTls tls, String server, Properties properties)
            throws SQLException {
        Properties all = new Properties();
        all.setProperty("characterEncoding", "UTF-8");
        all.putAll(properties);
        String host = address.getHostString();
        String url = "jdbc:mysql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort()
                + "/";
        try (JdbcTls.TrustStore trustStore = tls.addTo(all)) {
            Connection connection = DRIVER.connect(url, all);
            if (connection == null) {
                throw new SQLException("Connector/J did not accept " + url);
            }
            return connection;
        } catch (SQLException e) {
            throw tls.explain(e, server);
        }
    }
}
