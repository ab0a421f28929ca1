package io.jenkins.plugins.mysqllifecycle;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import com.cloudbees.hudson.plugins.folder.Folder;
import com.cloudbees.hudson.plugins.folder.properties.FolderCredentialsProvider;
import com.cloudbees.jenkins.plugins.sshcredentials.impl.BasicSSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.CredentialsStore;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.domains.Domain;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.FreeStyleProject;
import hudson.model.Item;
import hudson.model.Result;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.testing.TestServers;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;

/**
 * credentialsId against a real Jenkins: a folder's credential in a Pipeline, the usage record, a freestyle job's
 * configuration, and who may list credentials in the form.
 */
public class CredentialsByIdTest {
    private static final String PASSWORD = "s3cr3t-Cred-4711";

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Path servers() throws Exception {
        assumeTrue("needs MariaDB at /usr/sbin/mariadbd", new File("/usr/sbin/mariadbd").canExecute());
        Files.setPosixFilePermissions(tmp.getRoot().toPath(), PosixFilePermissions.fromString("rwxr-xr-x"));
        return tmp.newFolder("servers").toPath();
    }

    private static CredentialsStore storeOf(Folder folder) {
        for (CredentialsStore store : CredentialsProvider.lookupStores(folder)) {
            if (store.getProvider() instanceof FolderCredentialsProvider && store.getContext() == folder) {
                return store;
            }
        }
        throw new AssertionError("the folder has no credentials store");
    }

    @Test
    public void aPipelineInAFolderDumpsAndRestoresWithTheFoldersCredentialAndRecordsItsUse() throws Exception {
        ServerHandle server = TestServers.start(servers(), "db");
        try {
            TestServers.sql(server, "CREATE DATABASE shop", "CREATE TABLE shop.t (id INT PRIMARY KEY)",
                    "INSERT INTO shop.t VALUES (1), (2), (3)",
                    "CREATE USER 'backup'@'127.0.0.1' IDENTIFIED BY '" + PASSWORD + "'",
                    "GRANT ALL ON *.* TO 'backup'@'127.0.0.1'");
            Folder folder = j.jenkins.createProject(Folder.class, "team");
            UsernamePasswordCredentialsImpl credential = new UsernamePasswordCredentialsImpl(
                    CredentialsScope.GLOBAL, "db-backup", "the team's dump account", "backup", PASSWORD);
            storeOf(folder).addCredentials(Domain.global(), credential);
            String script = """
                    node {
                      def d = mysqlDump(port: PORT, credentialsId: 'db-backup', databases: ['shop'],
                                        output: 'backup/shop.sql.gz')
                      def r = mysqlRestore(port: PORT, credentialsId: 'db-backup', input: d.file)
                      echo "restored ${r.format}, result ${d}"
                    }
                    """.replace("PORT", Integer.toString(server.port()));
            WorkflowJob p = folder.createProject(WorkflowJob.class, "p");
            p.setDefinition(new CpsFlowDefinition(script, true));

            Map<String, String> before = TestServers.checksums(server, "shop");
            WorkflowRun run = j.buildAndAssertSuccess(p);

            j.assertLogContains("restored file", run);
            j.assertLogNotContains(PASSWORD, run);
            assertFalse("build.xml holds the password", Files.readString(new File(run.getRootDir(), "build.xml")
                    .toPath()).contains(PASSWORD));
            assertEquals(before, TestServers.checksums(server, "shop"));

            // usage tracking: the credential's fingerprint names this build
            hudson.model.Fingerprint fingerprint = CredentialsProvider.getFingerprintOf(credential);
            assertNotNull("the build's use of the credential was not recorded", fingerprint);
            assertTrue(fingerprint.getJobs().contains(p.getFullName()));
            assertTrue(fingerprint.getRangeSet(p).includes(run.getNumber()));

            // the folder's credential is the folder's: a job outside it cannot use it, and nothing runs
            WorkflowJob outside = j.createProject(WorkflowJob.class, "outside");
            outside.setDefinition(new CpsFlowDefinition(script, true));
            WorkflowRun refused = j.buildAndAssertStatus(Result.FAILURE, outside);
            j.assertLogContains("mysqlDump: no credential with id 'db-backup' that this build may use", refused);
            j.assertLogContains("Username with password", refused);
            assertFalse(j.jenkins.getWorkspaceFor(outside).child("backup/shop.sql.gz").exists());
        } finally {
            TestServers.stop(server);
        }
    }

    @Test
    public void aFreestyleJobKeepsTheCredentialIdAndNoSecret() throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, "db-backup", "dump account", "backup", PASSWORD));
        SystemCredentialsProvider.getInstance().getCredentials().add(new BasicSSHUserPrivateKey(
                CredentialsScope.GLOBAL, "db-guests", "deploy", new BasicSSHUserPrivateKey.DirectEntryPrivateKeySource(
                "-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key-body-Qw3\n-----END OPENSSH PRIVATE KEY-----"),
                "key-passphrase-Zq9", "guests"));
        SystemCredentialsProvider.getInstance().save();
        MysqlDumpStep shop = new MysqlDumpStep("backup/shop.sql.gz");
        shop.setPort(3308);
        shop.setCredentialsId("db-backup");
        shop.setDatabases(java.util.List.of("shop"));
        SshOptions ssh = new SshOptions("db-7.example.com", null);
        ssh.setCredentialsId("db-guests");
        shop.setSsh(ssh);
        MysqlDumpBuilder dump = new MysqlDumpBuilder(shop);
        MysqlRestoreStep load = new MysqlRestoreStep("backup/shop.sql.gz");
        load.setPort(3309);
        load.setCredentialsId("db-backup");
        MysqlRestoreBuilder restore = new MysqlRestoreBuilder(load);
        FreeStyleProject p = j.createFreeStyleProject("p");
        p.getBuildersList().add(dump);
        p.getBuildersList().add(restore);

        p = (FreeStyleProject) j.configRoundtrip((Item) p);

        j.assertEqualDataBoundBeans(dump, p.getBuildersList().get(MysqlDumpBuilder.class));
        j.assertEqualDataBoundBeans(restore, p.getBuildersList().get(MysqlRestoreBuilder.class));
        String configXml = p.getConfigFile().asString();
        assertTrue(configXml, configXml.contains("<credentialsId>db-backup</credentialsId>"));
        assertTrue(configXml, configXml.contains("<credentialsId>db-guests</credentialsId>"));
        for (String secret : new String[] {PASSWORD, "key-passphrase-Zq9", "not-a-real-key-body-Qw3"}) {
            assertFalse("config.xml holds a secret", configXml.contains(secret));
        }
        assertEquals(null, p.getBuildersList().get(MysqlDumpBuilder.class).getPassword());
    }

    @Test
    public void theCredentialsListIsEmptyForUsersWhoMayNotChooseCredentials() throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, "db-backup", "dump account", "backup", PASSWORD));
        SystemCredentialsProvider.getInstance().save();
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader")
                .grant(Jenkins.READ, Item.READ, Item.CONFIGURE).everywhere().to("configurer")); // implies EXTENDED_READ
        FreeStyleProject p = j.createFreeStyleProject("p");
        MysqlDumpStep.DescriptorImpl dump = j.jenkins.getDescriptorByType(MysqlDumpStep.DescriptorImpl.class);
        SshOptions.DescriptorImpl ssh = j.jenkins.getDescriptorByType(SshOptions.DescriptorImpl.class);

        try (ACLContext as = ACL.as2(User.getById("reader", true).impersonate2())) {
            assertNoCredential(dump.doFillCredentialsIdItems(p, ""));
            assertNoCredential(dump.doFillCredentialsIdItems(null, ""));
            assertNoCredential(ssh.doFillCredentialsIdItems(p, ""));
        }
        try (ACLContext as = ACL.as2(User.getById("configurer", true).impersonate2())) {
            assertTrue(values(dump.doFillCredentialsIdItems(p, "")).contains("db-backup"));
            assertNoCredential(dump.doFillCredentialsIdItems(null, "")); // no job: administrators only
            assertNoCredential(ssh.doFillCredentialsIdItems(p, "")); // not an SSH key
        }
    }

    private static java.util.List<String> values(ListBoxModel model) {
        return model.stream().map(option -> option.value).toList();
    }

    private static void assertNoCredential(ListBoxModel model) {
        assertFalse(values(model).toString(), values(model).contains("db-backup"));
    }
}
