package io.jenkins.plugins.mysqllifecycle;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import hudson.model.Item;
import hudson.model.User;
import hudson.security.ACL;
import hudson.security.ACLContext;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import jenkins.model.Jenkins;
import net.sf.json.JSONArray;
import net.sf.json.JSONObject;
import org.htmlunit.Page;
import org.htmlunit.html.HtmlPage;
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
import org.springframework.security.access.AccessDeniedException;

/**
 * The dumps of real pipelines on the build's page and in the job's trend: each dump with its link to the archived
 * file, a failed one with its cause, and the trend's JSON and chart models, for users who may read the job only.
 */
public class DumpPagesTest {
    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** A data directory the server (run as the mysql account) can reach; see PipelineStepsTest. */
    private String datadir() throws Exception {
        assumeTrue("needs MariaDB at /usr/sbin/mariadbd", new File("/usr/sbin/mariadbd").canExecute());
        File servers = tmp.newFolder("servers");
        Files.setPosixFilePermissions(tmp.getRoot().toPath(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(servers.toPath(), PosixFilePermissions.fromString("rwxr-xr-x"));
        return new File(servers, "data").getAbsolutePath();
    }

    @Test
    public void buildPageAndJobTrendShowTheDumpsToReadersOfTheJobOnly() throws Exception {
        WorkflowJob p = j.createProject(WorkflowJob.class, "p");
        // build 1 verifies its dump, build 2 does not; each also tries a database that does not exist
        p.setDefinition(new CpsFlowDefinition("""
                node {
                  def s = mysqlStart(datadir: "DATADIR-${env.BUILD_NUMBER}", initialize: true)
                  try {
                    mysqlDump(server: s, databases: ['mysql'], output: "backup/mysql-${env.BUILD_NUMBER}.sql.gz",
                              verify: env.BUILD_NUMBER == '1')
                    archiveArtifacts 'backup/*.sql.gz'
                    catchError(buildResult: 'SUCCESS', stageResult: 'SUCCESS') {
                      mysqlDump(server: s, databases: ['no_such_db'], output: 'backup/none.sql.gz')
                    }
                  } finally {
                    mysqlStop(server: s)
                  }
                }
                """.replace("DATADIR", datadir()), true));
        WorkflowRun first = j.buildAndAssertSuccess(p);
        WorkflowRun second = j.buildAndAssertSuccess(p);

        List<DumpRecord> dumps = first.getAction(DumpsAction.class).records();
        assertEquals(2, dumps.size());
        assertTrue(dumps.get(0).isVerified());
        assertEquals("backup/mysql-1.sql.gz", dumps.get(0).getFile());
        assertTrue(dumps.get(1).getFailure(), dumps.get(1).getFailure().contains("no_such_db"));

        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader")
                .grant(Jenkins.READ).everywhere().to("outsider"));

        JenkinsRule.WebClient reader = j.createWebClient().withBasicApiToken("reader");
        reader.getOptions().setJavaScriptEnabled(false);
        HtmlPage build = reader.getPage(first);
        String text = build.asNormalizedText();
        assertTrue(text, text.contains("MySQL dumps of this build"));
        assertTrue(text, text.contains("verified"));
        assertTrue(text, text.contains("Failed: "));
        assertTrue(text, text.contains(dumps.get(0).getSha256Start()));
        // inside the plugin's own table: core's artifact list on the same page has an anchor of the same href
        assertTrue("the dump links to its artifact", build.getHtmlElementById("mysql-dumps")
                .getElementsByTagName("a").stream()
                .anyMatch(a -> "artifact/backup/mysql-1.sql.gz".equals(a.getAttribute("href"))));

        Page trend = reader.goTo("job/p/mysql-dumps/trend", "application/json");
        JSONObject json = JSONObject.fromObject(trend.getWebResponse().getContentAsString());
        JSONArray series = json.getJSONArray("series");
        assertEquals(1, series.size());
        JSONArray points = series.getJSONObject(0).getJSONArray("points");
        assertEquals(2, points.size());
        assertEquals(1, points.getJSONObject(0).getInt("build"));
        assertTrue(points.getJSONObject(0).getBoolean("verified"));
        assertFalse(points.getJSONObject(1).getBoolean("verified"));
        assertEquals(second.getAction(DumpsAction.class).records().get(0).bytes(),
                points.getJSONObject(1).getLong("bytes"));
        assertEquals(2, json.getJSONArray("failures").size());

        HtmlPage job = reader.getPage(p);
        assertEquals("the job page has the size and duration charts", 2,
                job.getByXPath("//div[contains(@class, 'echarts-trend')]").size());

        DumpTrendAction action = p.getAction(DumpTrendAction.class);
        assertNotNull("the last successful build's dumps put the trend on the job", action);
        try (ACLContext as = ACL.as2(User.getById("reader", true).impersonate2())) {
            JSONObject chart = JSONObject.fromObject(action.getSizeChart().getBuildTrendModel());
            assertEquals(List.of("#1", "#2"), chart.getJSONArray("domainAxisLabels"));
        }
        try (ACLContext as = ACL.as2(User.getById("outsider", true).impersonate2())) {
            assertThrows(AccessDeniedException.class, () -> action.getSizeChart().getBuildTrendModel());
            assertFalse(action.getSizeChart().isTrendVisible());
        }

        JenkinsRule.WebClient outsider = j.createWebClient().withBasicApiToken("outsider");
        outsider.getOptions().setThrowExceptionOnFailingStatusCode(false);
        outsider.getOptions().setJavaScriptEnabled(false);
        int status = outsider.goTo("job/p/mysql-dumps/trend", null).getWebResponse().getStatusCode();
        assertEquals("a user who may not read the job does not even see it", 404, status);
        assertEquals(404, outsider.goTo("job/p/1/").getWebResponse().getStatusCode());
    }
}
