package io.jenkins.plugins.mysqllifecycle.engine.server;

import io.jenkins.plugins.mysqllifecycle.engine.jdbc.Jdbc;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import io.jenkins.plugins.mysqllifecycle.engine.util.WaitLoop;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * The server answers {@code SELECT 1} over TCP through Connector/J: the only proof that it is ready. A pid file or
 * an open port is not: MariaDB can hang between opening its port and answering its first query.
 *
 * <p>A login refused with "access denied" also counts: the server ran the whole handshake and checked the account,
 * which a hung server never does. That is what an existing data directory with a root password gives.
 */
final class AnswersSql implements ReadinessCheck {
    static final int ER_ACCESS_DENIED = 1045;
    private static final Duration LONGEST_TRY = Duration.ofSeconds(2);

    private final InetSocketAddress address;
    private final Deadline deadline;
    private final Log log;

    AnswersSql(InetSocketAddress address, Deadline deadline, Log log) {
        this.address = address;
        this.deadline = deadline;
        this.log = log;
    }

    @Override
    public String describe() {
        return "the server to answer SELECT 1 on " + address.getHostString() + ":" + address.getPort();
    }

    @Override
    public boolean isMet() throws WaitLoop.NotYet {
        int tryMillis = deadline.remainingMillisCappedAt(LONGEST_TRY);
        Properties properties = new Properties();
        properties.setProperty("user", "root");
        properties.setProperty("connectTimeout", Integer.toString(tryMillis));
        properties.setProperty("socketTimeout", Integer.toString(tryMillis));
        try (Connection connection = Jdbc.connect(address, properties);
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("SELECT 1")) {
            return result.next() && result.getInt(1) == 1;
        } catch (SQLException e) {
            if (e.getErrorCode() == ER_ACCESS_DENIED) {
                log.info("the server answered the login with 'access denied' for root without a password: it"
                        + " accepts SQL connections");
                return true;
            }
            throw new WaitLoop.NotYet(e.getMessage(), e);
        }
    }
}
