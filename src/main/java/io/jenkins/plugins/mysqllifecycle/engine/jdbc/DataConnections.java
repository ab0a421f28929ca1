package io.jenkins.plugins.mysqllifecycle.engine.jdbc;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.Password;
import io.jenkins.plugins.mysqllifecycle.engine.Tls;
import io.jenkins.plugins.mysqllifecycle.engine.host.Host;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * Connector/J connections that move a dump's rows (the parallel dump, the directory restore, verification), opened
 * by the engine on its own machine: straight to a local server, through the SSH tunnel to a remote one.
 */
public final class DataConnections {
    private final InetSocketAddress address;
    private final String server;
    private final JdbcTls tls;
    private final String user;
    private final Password password;

    private DataConnections(InetSocketAddress address, String server, JdbcTls tls, String user, Password password) {
        this.address = address;
        this.server = server;
        this.tls = tls;
        this.user = user;
        this.password = password;
    }

    /**
     * Where the server listens, as {@code host} sees it, and how the connection is protected (a CA file is read on
     * {@code host}); {@code what} names the feature in errors.
     */
    public static DataConnections to(Host host, String serverHost, int port, String socket, String user,
                                     Password password, String defaultsFile, Tls tls, String what)
            throws EngineException {
        if (socket != null) {
            throw new InvalidSpecException(what + " connects over TCP: give the server's port (and host) instead of"
                    + " its socket");
        }
        if (password == null && defaultsFile != null) {
            throw new InvalidSpecException(what + " does not read option files: give the password as a credential"
                    + " instead of defaultsFile");
        }
        String server = serverHost + ":" + port;
        JdbcTls jdbcTls = JdbcTls.of(host, tls);
        if (host instanceof LocalHost) {
            return new DataConnections(new InetSocketAddress(serverHost, port), server, jdbcTls, user, password);
        }
        if (!List.of("127.0.0.1", "localhost", "::1").contains(serverHost)) {
            throw new InvalidSpecException(what + " on " + host.describe() + " reaches the server through an SSH"
                    + " tunnel to its loopback address; host must be 127.0.0.1, not " + serverHost);
        }
        try {
            return new DataConnections(host.loopbackAddress(port), server, jdbcTls, user, password);
        } catch (IOException e) {
            throw new EngineException("Cannot reach port " + port + " on " + host.describe() + ": " + e.getMessage(),
                    e);
        }
    }

    /** UTC, so TIMESTAMP values are read and written as stored; no idle timeout while a slow disk catches up. */
    public Connection open() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password.reveal());
        }
        properties.setProperty("connectTimeout", "30000");
        properties.setProperty("useServerPrepStmts", "false");
        // the time of every packet, read only for an error's text: 2 clock reads per row cost 2 % of a dump's CPU
        properties.setProperty("maintainTimeStats", "false");
        // rows arrive in 256 KiB reads instead of 16 KiB ones, each with a system call less (see the class)
        properties.setProperty("socketFactory", LargeReadSocketFactory.class.getName());
        // every text value arrives as utf8mb4 (by default Connector/J asks for each column's own charset)
        properties.setProperty("characterSetResults", "UTF-8");
        Connection connection = Jdbc.connect(address, tls, server, properties);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET time_zone = '+00:00', net_write_timeout = 3600, net_read_timeout = 3600");
        }
        return connection;
    }

    String user() {
        return user;
    }
}
