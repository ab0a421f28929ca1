package io.jenkins.plugins.mysqllifecycle;

import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.DumpMethod;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.Password;
import io.jenkins.plugins.mysqllifecycle.engine.RestoreSpec;
import io.jenkins.plugins.mysqllifecycle.engine.ServerSpec;
import io.jenkins.plugins.mysqllifecycle.engine.StopSpec;
import io.jenkins.plugins.mysqllifecycle.engine.Tls;
import hudson.AbortException;

import java.time.Duration;
import java.util.List;

/**
 * Step and builder arguments to engine specs, in one place for both. Bad arguments fail the build before anything
 * runs, with the engine's message, which names the argument.
 */
final class Specs {
    static final int DEFAULT_READY_TIMEOUT = (int) ServerSpec.DEFAULT_READY_TIMEOUT.toSeconds();
    static final int DEFAULT_DUMP_TIMEOUT = (int) DumpSpec.DEFAULT_TIMEOUT.toSeconds();
    static final int DEFAULT_STOP_TIMEOUT = (int) StopSpec.DEFAULT_TIMEOUT.toSeconds();
    static final String DEFAULT_COMPRESS = Compression.GZIP.id();
    static final String DEFAULT_METHOD = DumpMethod.MYSQLDUMP.id();
    static final int DEFAULT_RESTORE_TIMEOUT = (int) RestoreSpec.DEFAULT_TIMEOUT.toSeconds();
    static final int DEFAULT_LOCK_WAIT_TIMEOUT = (int) DumpSpec.DEFAULT_LOCK_WAIT_TIMEOUT.toSeconds();
    static final int DEFAULT_LONG_QUERY_GUARD = (int) DumpSpec.DEFAULT_LONG_QUERY_GUARD.toSeconds();

    private Specs() {
    }

    static ServerSpec start(String datadir, int port, String socket, String pidFile, String mysqld, boolean initialize,
                            String defaultsFile, int readyTimeoutSeconds, String osUser) throws AbortException {
        return start("mysqlStart", datadir, port, socket, pidFile, mysqld, initialize, defaultsFile,
                readyTimeoutSeconds, osUser);
    }

    /** @param step the step the message names, as the user wrote it: mysqlStart or withMysql */
    static ServerSpec start(String step, String datadir, int port, String socket, String pidFile, String mysqld,
                            boolean initialize, String defaultsFile, int readyTimeoutSeconds, String osUser)
            throws AbortException {
        try {
            return ServerSpec.builder(datadir).port(port).socket(socket).pidFile(pidFile).mysqld(mysqld)
                    .initialize(initialize).defaultsFile(defaultsFile)
                    .readyTimeout(Duration.ofSeconds(readyTimeoutSeconds)).osUser(osUser).build();
        } catch (InvalidSpecException e) {
            throw new AbortException(step + ": " + e.getMessage());
        }
    }

    /**
     * The connection part of a dump or restore: a TCP port (and host) or a socket, and its TLS mode and CA file
     * (null for the engine's choice by the host); validated with the rest by the engine.
     */
    record Connection(String host, int port, String socket, String tls, String tlsCa) {
        Connection(String host, int port, String socket) {
            this(host, port, socket, null, null);
        }

        Connection withTls(String tls, String tlsCa) {
            return new Connection(host, port, socket, tls, tlsCa);
        }

        void applyTo(DumpSpec.Builder spec) throws InvalidSpecException {
            spec.tlsMode(tlsMode()).tlsCa(tlsCa);
            if (host != null && !host.isBlank()) {
                spec.host(host);
            }
        }

        void applyTo(RestoreSpec.Builder spec) throws InvalidSpecException {
            spec.tlsMode(tlsMode()).tlsCa(tlsCa);
            if (host != null && !host.isBlank()) {
                spec.host(host);
            }
        }

        private Tls.Mode tlsMode() throws InvalidSpecException {
            return tls == null || tls.isBlank() ? null : Tls.Mode.fromId(tls);
        }
    }

    /**
     * @param method  mysqldump or parallel; null for mysqldump
     * @param threads connections of a parallel dump, 0 for one per core of the node
     * @param keep    the newest dumps of these databases to keep, this one included; null removes none
     */
    static DumpSpec dump(Connection connection, String user, Password password, String defaultsFile,
                         List<String> databases, boolean allDatabases, String output, String compress,
                         int timeoutSeconds, String method, int threads, boolean verify, Integer keep,
                         SnapshotLocking locking)
            throws AbortException {
        try {
            DumpSpec.Builder spec = DumpSpec.builder().port(connection.port()).socket(connection.socket())
                    .user(user).password(password).defaultsFile(defaultsFile).databases(databaseNames(databases))
                    .allDatabases(allDatabases).output(output)
                    .compression(Compression.fromId(compress == null ? DEFAULT_COMPRESS : compress))
                    .timeout(Duration.ofSeconds(timeoutSeconds))
                    .method(DumpMethod.fromId(method == null || method.isBlank() ? DEFAULT_METHOD : method.strip()))
                    .threads(threads).verify(verify).keep(keep)
                    .lockWaitTimeout(Duration.ofSeconds(locking.lockWaitTimeoutSeconds()))
                    .longQueryGuard(Duration.ofSeconds(locking.longQueryGuardSeconds()))
                    .killLongQueries(locking.killLongQueries());
            connection.applyTo(spec);
            return spec.build();
        } catch (InvalidSpecException e) {
            throw new AbortException("mysqlDump: " + e.getMessage());
        }
    }

    /** How far a dump may hold the server up for its snapshot's lock (DumpSpec's lock options), as a step has them. */
    record SnapshotLocking(int lockWaitTimeoutSeconds, int longQueryGuardSeconds, boolean killLongQueries) {
        static final SnapshotLocking DEFAULTS = new SnapshotLocking(DEFAULT_LOCK_WAIT_TIMEOUT,
                DEFAULT_LONG_QUERY_GUARD, false);
    }

    /**
     * @param input   absolute path of the dump file or directory on the node
     * @param threads connections loading a directory dump, 0 for one per core of the node
     * @param skipBinaryLog load without writing the server's binary log
     * @param allowCrossFlavor load a dump of the other flavor (MySQL into MariaDB or the reverse)
     */
    static RestoreSpec restore(Connection connection, String user, Password password, String defaultsFile,
                               String input, int threads, int timeoutSeconds, String clientTool,
                               boolean skipBinaryLog, boolean allowCrossFlavor) throws AbortException {
        try {
            RestoreSpec.Builder spec = RestoreSpec.builder().port(connection.port()).socket(connection.socket())
                    .user(user).password(password).defaultsFile(defaultsFile).input(input).threads(threads)
                    .timeout(Duration.ofSeconds(timeoutSeconds)).clientTool(clientTool)
                    .skipBinaryLog(skipBinaryLog).allowCrossFlavor(allowCrossFlavor);
            connection.applyTo(spec);
            return spec.build();
        } catch (InvalidSpecException e) {
            throw new AbortException("mysqlRestore: " + e.getMessage());
        }
    }

    /**
     * Database names from a pipeline list or a form's text: each entry may itself hold several names separated by
     * commas or white space.
     */
    static List<String> databaseNames(List<String> entries) {
        List<String> names = new java.util.ArrayList<>();
        if (entries != null) {
            for (String entry : entries) {
                for (String name : entry.split("[,\\s]+")) {
                    if (!name.isEmpty()) {
                        names.add(name);
                    }
                }
            }
        }
        return names;
    }

    static io.jenkins.plugins.mysqllifecycle.engine.SshTarget ssh(SshOptions ssh, hudson.model.Run<?, ?> run,
                                                                  hudson.EnvVars environment, String step)
            throws AbortException {
        return ssh == null ? null : ssh.target(run, environment, step);
    }

    static StopSpec stop(String pidFile, long pid, long startTicks, int timeoutSeconds, boolean killAfterTimeout)
            throws AbortException {
        return stop("mysqlStop", pidFile, pid, startTicks, timeoutSeconds, killAfterTimeout);
    }

    /** @param step the step the message names, as the user wrote it: mysqlStop or withMysql */
    static StopSpec stop(String step, String pidFile, long pid, long startTicks, int timeoutSeconds,
                         boolean killAfterTimeout) throws AbortException {
        try {
            return StopSpec.of(pidFile, pid, startTicks, Duration.ofSeconds(timeoutSeconds), killAfterTimeout);
        } catch (InvalidSpecException e) {
            throw new AbortException(step + ": " + e.getMessage());
        }
    }
}
