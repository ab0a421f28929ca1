package io.jenkins.plugins.mysqllifecycle;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import hudson.model.Item;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import jenkins.model.Jenkins;
import org.htmlunit.html.HtmlPage;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;

/**
 * The controller's page of dump ages ({@code /mysql-dumps/}): a row per host and database set, with the age of its
 * last verified dump and last dump, marked past the threshold; only the dumps of jobs the user may read.
 */
public class DumpAgesPageTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private String datadir(String name) throws Exception {
        assumeTrue("needs MariaDB at /usr/sbin/mariadbd", new File("/usr/sbin/mariadbd").canExecute());
        File servers = new File(tmp.getRoot(), "servers");
        Files.createDirectories(servers.toPath());
        Files.setPosixFilePermissions(tmp.getRoot().toPath(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(servers.toPath(), PosixFilePermissions.fromString("rwxr-xr-x"));
        return new File(servers, name).getAbsolutePath();
    }

    private WorkflowJob dumping(String name, String database, boolean verify) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, name);
        job.setDefinition(new CpsFlowDefinition("""
                node {
                  def s = mysqlStart(datadir: 'DATADIR', initialize: true)
                  try {
                    mysqlDump(server: s, databases: ['DATABASE'], output: 'backup/DATABASE.sql.gz', verify: VERIFY)
                  } finally {
                    mysqlStop(server: s)
                  }
                }
                """.replace("DATADIR", datadir(name)).replace("DATABASE", database)
                .replace("VERIFY", Boolean.toString(verify)), true));
        j.buildAndAssertSuccess(job);
        return job;
    }

    @Test
    public void readersSeeTheAgesOfTheDumpsOfTheJobsTheyMayReadOnly() throws Exception {
        WorkflowJob visible = dumping("visible", "mysql", true);
        dumping("hidden", "sys", false);
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ).everywhere().to("reader", "nobody")
                .grant(Item.READ).onItems(visible).to("reader"));

        JenkinsRule.WebClient reader = j.createWebClient().withBasicApiToken("reader");
        reader.getOptions().setJavaScriptEnabled(false);
        assertTrue("the dashboard links the page", reader.goTo("").getAnchors().stream()
                .anyMatch(anchor -> anchor.getHrefAttribute().endsWith("/mysql-dumps")));
        HtmlPage page = reader.goTo("mysql-dumps/");
        String text = page.asNormalizedText();
        assertTrue(text, text.contains("built-in"));
        assertTrue(text, text.contains("mysql"));
        assertTrue(text, text.contains("visible #1"));
        assertFalse("a dump of a job the reader may not read: " + text, text.contains("hidden"));
        assertTrue(text, text.contains("Older than 26 hours"));
        assertFalse("a dump made now is not old: " + text, text.contains("old:"));

        JenkinsRule.WebClient nobody = j.createWebClient().withBasicApiToken("nobody");
        nobody.getOptions().setJavaScriptEnabled(false);
        String none = nobody.goTo("mysql-dumps/").asNormalizedText();
        assertTrue(none, none.contains("No dumps in the builds you may read."));
    }

    @Test
    public void anUnverifiedDumpIsMarkedAsNeverVerified() throws Exception {
        dumping("plain", "mysql", false);
        JenkinsRule.WebClient wc = j.createWebClient();
        wc.getOptions().setJavaScriptEnabled(false);
        String text = wc.goTo("mysql-dumps/").asNormalizedText();
        assertTrue(text, text.contains("never"));
    }

    @Test
    public void theThresholdIsASettingThatSurvivesTheConfigurationForm() throws Exception {
        assertEquals(DumpAgeConfiguration.DEFAULT_STALE_AFTER_HOURS, DumpAgeConfiguration.get().getStaleAfterHours());
        DumpAgeConfiguration.get().setStaleAfterHours(30);
        j.configRoundtrip();
        assertEquals(30, DumpAgeConfiguration.get().getStaleAfterHours());
    }
}
