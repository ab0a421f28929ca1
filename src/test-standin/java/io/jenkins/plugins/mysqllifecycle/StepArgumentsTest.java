package io.jenkins.plugins.mysqllifecycle;

import io.jenkins.plugins.mysqllifecycle.engine.DumpMethod;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.RestoreSpec;
import io.jenkins.plugins.mysqllifecycle.engine.Tls;
import io.jenkins.plugins.mysqllifecycle.engine.ServerSpec;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import hudson.util.FormValidation;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Argument binding: names and defaults of each step, and the specs they turn into. */
class StepArgumentsTest {

    @Test
    void functionNamesAreExactlyTheDocumentedOnes() {
        assertEquals("mysqlStart", new MysqlStartStep.DescriptorImpl().getFunctionName());
        assertEquals("mysqlDump", new MysqlDumpStep.DescriptorImpl().getFunctionName());
        assertEquals("mysqlStop", new MysqlStopStep.DescriptorImpl().getFunctionName());
        assertEquals("mysqlRestore", new MysqlRestoreStep.DescriptorImpl().getFunctionName());
        assertEquals(StepContexts.REQUIRED, new MysqlRestoreStep.DescriptorImpl().getRequiredContext());
        assertEquals("mysqlRestoreBuilder", MysqlRestoreBuilder.DescriptorImpl.class
                .getAnnotation(org.jenkinsci.Symbol.class).value()[0]);
        assertTrue(new MysqlStartStep.DescriptorImpl().getRequiredContext().containsAll(Set.of(hudson.FilePath.class,
                hudson.model.TaskListener.class, hudson.EnvVars.class, hudson.model.Run.class,
                hudson.Launcher.class)));
    }

    @Test
    void startDefaultsMatchTheEngine() throws Exception {
        MysqlStartStep step = new MysqlStartStep("/var/tmp/data");
        assertEquals(0, step.getPort());
        assertEquals(60, step.getReadyTimeout());
        assertFalse(step.isInitialize());
        assertFalse(step.isKeepRunning());
        assertNull(step.getOsUser());
        ServerSpec spec = Specs.start(step.getDatadir(), step.getPort(), step.getSocket(), step.getPidFile(),
                step.getMysqld(), step.isInitialize(), step.getDefaultsFile(), step.getReadyTimeout(),
                step.getOsUser());
        assertEquals(ServerSpec.DEFAULT_READY_TIMEOUT, spec.readyTimeout());
        assertEquals("127.0.0.1", spec.bindAddress());
    }

    @Test
    void dumpAndStopDefaults() {
        MysqlDumpStep dump = new MysqlDumpStep("backup.sql.gz");
        assertNull(dump.getUser(), "no user given: the credential's, or root");
        assertEquals("root", assertDoesNotThrow(() -> JobCredentials.databaseAccount(null, null, dump.getUser(),
                dump.getCredentialsId(), dump.getPasswordVariable(), null, "mysqlDump")).user());
        assertEquals("gzip", dump.getCompress());
        assertEquals(21600, dump.getTimeout());
        assertEquals(List.of(), dump.getDatabases());
        assertNull(dump.getKeep(), "retention is off unless asked for");
        assertEquals("mysqldump", dump.getMethod());
        assertEquals(0, dump.getThreads());
        assertFalse(dump.isVerify());
        MysqlStopStep stop = new MysqlStopStep();
        assertEquals(120, stop.getTimeout());
        assertFalse(stop.isKillAfterTimeout());
    }

    @Test
    void badArgumentsFailNamingTheStepAndTheArgument() {
        AbortException start = assertThrows(AbortException.class,
                () -> Specs.start("/d", 70000, null, null, null, false, null, 60, null));
        assertTrue(start.getMessage().startsWith("mysqlStart: port"), start.getMessage());
        AbortException stop = assertThrows(AbortException.class, () -> Specs.stop(null, 0, 0, 120, false));
        assertTrue(stop.getMessage().startsWith("mysqlStop:"), stop.getMessage());
        AbortException dump = assertThrows(AbortException.class, () -> Specs.dump(new Specs.Connection(null, 3306,
                null), "root", null, null, List.of(), false, "/w/x", "gzip", 10, null, 0, false, null, Specs.SnapshotLocking.DEFAULTS));
        assertTrue(dump.getMessage().contains("databases"), dump.getMessage());
        AbortException compress = assertThrows(AbortException.class, () -> Specs.dump(new Specs.Connection(null,
                3306, null), "root", null, null, List.of("a"), false, "/w/x", "zip", 10, null, 0, false, null, Specs.SnapshotLocking.DEFAULTS));
        assertTrue(compress.getMessage().contains("compress"), compress.getMessage());
        for (int keep : new int[] {0, -1}) {
            AbortException bad = assertThrows(AbortException.class, () -> Specs.dump(new Specs.Connection(null,
                    3306, null), "root", null, null, List.of("a"), false, "/w/x", "gzip", 10, null, 0, false, keep, Specs.SnapshotLocking.DEFAULTS));
            assertTrue(bad.getMessage().startsWith("mysqlDump: keep must be at least 1"), bad.getMessage());
        }
        assertEquals(3, assertDoesNotThrow(() -> Specs.dump(new Specs.Connection(null, 3306, null), "root", null,
                null, List.of("a"), false, "/w/x", "gzip", 10, null, 0, false, 3, Specs.SnapshotLocking.DEFAULTS)).keep());
    }

    @Test
    void tlsAndItsCaFileReachTheSpecsAndBadOnesFailNamingTheStep() throws Exception {
        Specs.Connection remote = new Specs.Connection("db.example.org", 3306, null);
        DumpSpec verified = Specs.dump(remote.withTls("verify-ca", "/etc/mysql/ca.pem"), "root", null, null,
                List.of("a"), false, "/w/a.sql.gz", "gzip", 10, null, 0, false, null, Specs.SnapshotLocking.DEFAULTS);
        assertEquals(new Tls(Tls.Mode.VERIFY_CA, "/etc/mysql/ca.pem"), verified.tls());
        assertEquals(Tls.Mode.REQUIRED, Specs.dump(remote, "root", null, null, List.of("a"), false, "/w/a.sql.gz",
                "gzip", 10, null, 0, false, null, Specs.SnapshotLocking.DEFAULTS).tls().mode(),
                "another host requires TLS by default");
        assertEquals(Tls.DISABLED, Specs.restore(new Specs.Connection(null, 3306, null), "root", null, null,
                "/w/a.sql.gz", 0, 10, null, false, false).tls(), "the loopback address has no TLS by default");
        AbortException mode = assertThrows(AbortException.class, () -> Specs.dump(remote.withTls("sometimes",
                null), "root", null, null, List.of("a"), false, "/w/a.sql.gz", "gzip", 10, null, 0, false, null,
                Specs.SnapshotLocking.DEFAULTS));
        assertTrue(mode.getMessage().startsWith("mysqlDump: tls (--tls) must be one of"), mode.getMessage());
        AbortException ca = assertThrows(AbortException.class, () -> Specs.restore(remote.withTls("required",
                "/etc/mysql/ca.pem"), "root", null, null, "/w/a.sql.gz", 0, 10, null, false, false));
        assertTrue(ca.getMessage().startsWith("mysqlRestore: tlsCa (--tls-ca) is for checking"), ca.getMessage());

        MysqlDumpStep step = new MysqlDumpStep("a.sql.gz");
        step.setTls(" ");
        step.setTlsCa("");
        assertNull(step.getTls(), "an empty form field is the engine's choice");
        assertNull(step.getTlsCa());
        assertEquals(FormValidation.Kind.ERROR, Validation.tlsCa("", "verify-identity").kind);
        assertEquals(FormValidation.Kind.ERROR, Validation.tlsCa("/etc/mysql/ca.pem", "required").kind);
        assertEquals(FormValidation.Kind.OK, Validation.tlsCa("/etc/mysql/ca.pem", "").kind);
        assertEquals(FormValidation.Kind.OK, Validation.tlsCa("", "").kind);
    }

    @Test
    void buildVariablesExpandLikeJenkinsUndefinedOnesStayAndDoubleDollarEscapes() {
        hudson.EnvVars env = new hudson.EnvVars(java.util.Map.of("BUILD_ID", "42", "JOB_NAME", "nightly"));
        assertEquals("backups/nightly-42.sql.gz", env.expand("backups/${JOB_NAME}-$BUILD_ID.sql.gz"));
        assertEquals("a-$NOPE-${NOPE}-$-x", env.expand("a-$NOPE-${NOPE}-$$-x"));
    }

    @Test
    void dumpMethodThreadsAndVerifyReachTheSpec() throws Exception {
        DumpSpec parallel = Specs.dump(new Specs.Connection(null, 3306, null), "root", null, null, List.of("a"), false,
                "/w/a", "zstd", 10, "parallel", 4, true, null, Specs.SnapshotLocking.DEFAULTS);
        assertEquals(DumpMethod.PARALLEL, parallel.method());
        assertEquals(4, parallel.threads());
        assertTrue(parallel.verify());
        DumpSpec byDefault = Specs.dump(new Specs.Connection(null, 3306, null), "root", null, null, List.of("a"),
                false, "/w/a.sql.gz", "gzip", 10, null, 0, false, null, Specs.SnapshotLocking.DEFAULTS);
        assertEquals(DumpMethod.MYSQLDUMP, byDefault.method());
        assertFalse(byDefault.verify());
    }

    @Test
    void snapshotLockOptionsReachTheSpecAndBadOnesFailNamingTheArgument() throws Exception {
        Specs.Connection port = new Specs.Connection(null, 3306, null);
        DumpSpec locking = Specs.dump(port, "root", null, null, List.of("a"), false, "/w/a", "gzip", 10, "parallel",
                0, false, null, new Specs.SnapshotLocking(7, 300, true));
        assertEquals(java.time.Duration.ofSeconds(7), locking.lockWaitTimeout());
        assertEquals(java.time.Duration.ofSeconds(300), locking.longQueryGuard());
        assertTrue(locking.killLongQueries());
        DumpSpec byDefault = Specs.dump(port, "root", null, null, List.of("a"), false, "/w/a", "gzip", 10, null, 0,
                false, null, Specs.SnapshotLocking.DEFAULTS);
        assertEquals(DumpSpec.DEFAULT_LOCK_WAIT_TIMEOUT, byDefault.lockWaitTimeout());
        assertEquals(DumpSpec.DEFAULT_LONG_QUERY_GUARD, byDefault.longQueryGuard());
        assertFalse(byDefault.killLongQueries(), "a user's statement is never killed unasked");
        AbortException wait = assertThrows(AbortException.class, () -> Specs.dump(port, "root", null, null,
                List.of("a"), false, "/w/a", "gzip", 10, null, 0, false, null, new Specs.SnapshotLocking(0, 60, false)));
        assertTrue(wait.getMessage().startsWith("mysqlDump: lock-wait-timeout"), wait.getMessage());
        AbortException guard = assertThrows(AbortException.class, () -> Specs.dump(port, "root", null, null,
                List.of("a"), false, "/w/a", "gzip", 10, null, 0, false, null, new Specs.SnapshotLocking(2, -1, false)));
        assertTrue(guard.getMessage().startsWith("mysqlDump: long-query-guard"), guard.getMessage());
        assertEquals(FormValidation.Kind.ERROR, Validation.positiveSeconds("0", "Lock wait timeout").kind);
    }

    @Test
    void badDumpMethodOrThreadsFailNamingTheArgument() {
        Specs.Connection port = new Specs.Connection(null, 3306, null);
        AbortException method = assertThrows(AbortException.class, () -> Specs.dump(port, "root", null, null,
                List.of("a"), false, "/w/a", "gzip", 10, "mydumper", 0, false, null, Specs.SnapshotLocking.DEFAULTS));
        assertEquals("mysqlDump: method must be mysqldump or parallel, not 'mydumper'", method.getMessage());
        for (int threads : new int[] {-1, 65}) {
            AbortException range = assertThrows(AbortException.class, () -> Specs.dump(port, "root", null, null,
                    List.of("a"), false, "/w/a", "gzip", 10, "parallel", threads, false, null, Specs.SnapshotLocking.DEFAULTS));
            assertTrue(range.getMessage().startsWith("mysqlDump: threads must be between 1 and 64"),
                    range.getMessage());
        }
        AbortException notParallel = assertThrows(AbortException.class, () -> Specs.dump(port, "root", null, null,
                List.of("a"), false, "/w/a", "gzip", 10, "mysqldump", 2, false, null, Specs.SnapshotLocking.DEFAULTS));
        assertEquals("mysqlDump: threads applies to method parallel only", notParallel.getMessage());
    }

    @Test
    void threadsAreCheckedInTheFormWithTheMethodTheyBelongTo() {
        assertEquals(FormValidation.Kind.OK, Validation.threads("").kind);
        assertEquals(FormValidation.Kind.OK, Validation.threads("0").kind);
        assertEquals(FormValidation.Kind.OK, Validation.threads("64").kind);
        assertEquals(FormValidation.Kind.ERROR, Validation.threads("65").kind);
        assertEquals(FormValidation.Kind.ERROR, Validation.threads("-1").kind);
        assertEquals(FormValidation.Kind.ERROR, Validation.threads("two").kind);
        assertEquals(FormValidation.Kind.OK, Validation.dumpThreads("8", "parallel").kind);
        assertEquals(FormValidation.Kind.OK, Validation.dumpThreads("0", "mysqldump").kind);
        FormValidation notParallel = Validation.dumpThreads("8", "mysqldump");
        assertEquals(FormValidation.Kind.ERROR, notParallel.kind);
        assertTrue(notParallel.getMessage().contains("parallel method only"), notParallel.getMessage());
        assertEquals(FormValidation.Kind.ERROR, Validation.dumpThreads("65", "parallel").kind);
        assertEquals(FormValidation.Kind.OK, new MysqlDumpStep.DescriptorImpl().doCheckThreads(null, "65",
                "parallel").kind, "answered a user who may not configure the job");
    }

    @Test
    void restoreDefaultsMatchTheEngine() throws Exception {
        MysqlRestoreStep step = new MysqlRestoreStep("backup/shop");
        assertNull(step.getUser(), "no user given: the credential's, or root");
        assertEquals(0, step.getThreads());
        assertEquals(21600, step.getTimeout());
        assertNull(step.getClientTool());
        RestoreSpec spec = Specs.restore(new Specs.Connection(null, 3306, null), JobCredentials.databaseAccount(null,
                null, step.getUser(), step.getCredentialsId(), step.getPasswordVariable(), null, "mysqlRestore")
                .user(), null, null,
                "/w/backup/shop", step.getThreads(), step.getTimeout(), step.getClientTool(),
                step.isSkipBinaryLog(), step.isAllowCrossFlavor());
        assertEquals(RestoreSpec.DEFAULT_TIMEOUT, spec.timeout());
        assertFalse(spec.skipBinaryLog(), "a restore is written to the binary log unless asked");
        assertFalse(spec.allowCrossFlavor(), "a dump of the other flavor is refused unless asked");
        assertEquals("127.0.0.1", spec.host());
        assertEquals("/w/backup/shop", spec.input());
    }

    @Test
    void badRestoreArgumentsFailNamingTheStepAndTheArgument() {
        Specs.Connection port = new Specs.Connection(null, 3306, null);
        AbortException threads = assertThrows(AbortException.class,
                () -> Specs.restore(port, "root", null, null, "/w/x", 65, 10, null, false, false));
        assertTrue(threads.getMessage().startsWith("mysqlRestore: threads must be between 1 and 64"),
                threads.getMessage());
        AbortException timeout = assertThrows(AbortException.class,
                () -> Specs.restore(port, "root", null, null, "/w/x", 0, 0, null, false, false));
        assertTrue(timeout.getMessage().startsWith("mysqlRestore: timeout"), timeout.getMessage());
        AbortException both = assertThrows(AbortException.class, () -> Specs.restore(new Specs.Connection(null,
                3306, "/tmp/s.sock"), "root", null, null, "/w/x", 0, 10, null, false, false));
        assertTrue(both.getMessage().contains("port") && both.getMessage().contains("socket"), both.getMessage());
        assertEquals(FormValidation.Kind.ERROR, Validation.workspacePath("", "Input").kind);
        FormValidation outside = Validation.workspacePath("../dumps/shop", "Input");
        assertTrue(outside.getMessage().startsWith("Input must stay inside the workspace"), outside.getMessage());
        assertEquals(FormValidation.Kind.OK, Validation.workspacePath("backup/shop", "Input").kind);
        assertEquals(FormValidation.Kind.OK, new MysqlRestoreStep.DescriptorImpl().doCheckThreads(null, "65").kind,
                "answered a user who may not configure the job");
    }

    @Test
    void databaseNamesComeFromListsAndFromFormText() {
        assertEquals(List.of("a", "b", "c"), Specs.databaseNames(List.of("a", "b, c")));
        assertEquals(List.of("shop", "orders"), Specs.databaseNames(List.of(" shop  orders ")));
    }

    @Test
    void formValidationNamesTheProblem() {
        assertEquals(FormValidation.Kind.ERROR, Validation.absolutePath("data", "Data directory", true).kind);
        assertEquals(FormValidation.Kind.OK, Validation.absolutePath("/var/tmp/data", "Data directory", true).kind);
        assertEquals(FormValidation.Kind.ERROR, Validation.port("70000", true).kind);
        assertEquals(FormValidation.Kind.OK, Validation.port("0", true).kind);
        assertEquals(FormValidation.Kind.ERROR, Validation.positiveSeconds("0", "Timeout").kind);
        assertEquals(FormValidation.Kind.ERROR, Validation.workspacePath("../x.sql").kind);
        assertEquals(FormValidation.Kind.ERROR, Validation.workspacePath("/abs/x.sql").kind);
        assertEquals(FormValidation.Kind.OK, Validation.workspacePath("backups/x.sql.gz").kind);
        assertEquals(FormValidation.Kind.OK, Validation.keep("").kind, "empty keep: no retention");
        assertEquals(FormValidation.Kind.OK, Validation.keep("7").kind);
        assertEquals(FormValidation.Kind.ERROR, Validation.keep("0").kind);
        assertEquals(FormValidation.Kind.ERROR, Validation.keep("-3").kind);
        assertEquals(FormValidation.Kind.ERROR, Validation.keep("seven").kind);
        assertTrue(Validation.keep("0").getMessage().startsWith("Keep must be"), Validation.keep("0").getMessage());
        assertEquals(FormValidation.Kind.OK, new MysqlDumpStep.DescriptorImpl().doCheckKeep(null, "0").kind,
                "answered a user who may not configure the job");
        assertEquals(FormValidation.Kind.OK, new MysqlStartStep.DescriptorImpl().doCheckDatadir(null, "relative").kind,
                "answered a user who may not configure the job");
    }

    /** The global Pipeline Syntax page has no job in its URL; its snippets need the lists all the same. */
    @Test
    void dropDownsAreFilledWithoutAJob() {
        assertEquals(List.of("gzip", "zstd", "none"), values(new MysqlDumpStep.DescriptorImpl().doFillCompressItems()));
        assertEquals(List.of("mysqldump", "parallel"), values(new MysqlDumpStep.DescriptorImpl().doFillMethodItems()));
        assertEquals(List.of("strict", "acceptNew", "off"),
                values(new SshOptions.DescriptorImpl().doFillHostKeyCheckItems()));
    }

    private static List<String> values(hudson.util.ListBoxModel model) {
        return model.stream().map(option -> option.value).toList();
    }

    /** A duration is said in seconds, as users give it, never as Java prints a Duration ("PT0S"). */
    @Test
    void durationsInMessagesAreSeconds() {
        AbortException ready = assertThrows(AbortException.class,
                () -> Specs.start("/d", 0, null, null, null, false, null, 0, null));
        assertEquals("mysqlStart: readyTimeout must be a positive number of seconds; got 0", ready.getMessage());
        AbortException stop = assertThrows(AbortException.class, () -> Specs.stop("/run/x.pid", 0, 0, -5, false));
        assertEquals("mysqlStop: timeout must be a positive number of seconds; got -5", stop.getMessage());
    }
}
