package io.jenkins.plugins.mysqllifecycle.engine.sql;

import java.sql.SQLException;

/** Server errors in words a DBA acts on. */
public final class Sql {
    private Sql() {
    }

    public static String describe(SQLException e, String user) {
        String message = e.getMessage() + " (error " + e.getErrorCode() + ", SQLSTATE " + e.getSQLState() + ")";
        return switch (e.getErrorCode()) {
            case 1045 -> message + ". Check the user '" + user + "' and its password.";
            case 1044, 1142, 1227 -> message + ". Grant the account '" + user + "' the privilege named.";
            case 0 -> message + ". Check that the server runs and accepts connections on the address given.";
            default -> message;
        };
    }
}
