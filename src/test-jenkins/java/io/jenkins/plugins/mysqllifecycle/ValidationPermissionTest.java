package io.jenkins.plugins.mysqllifecycle;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import hudson.model.Item;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import jenkins.model.Jenkins;
import org.htmlunit.HttpMethod;
import org.htmlunit.Page;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.junit.Before;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.BuildWatcher;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;

/**
 * The form checks answer only users who may configure the job, and only to POST. One check per descriptor:
 * descriptor id, check method, a bad value, the start of the error it must give. The freestyle builders and the
 * wrapper show their steps' forms, so these checks are theirs too.
 */
public class ValidationPermissionTest {
    private static final String PACKAGE = "io.jenkins.plugins.mysqllifecycle.";
    private static final String[][] CHECKS = {
        {PACKAGE + "MysqlStartStep", "checkDatadir", "relative/data", "Data directory must be an absolute path"},
        {PACKAGE + "MysqlDumpStep", "checkOutput", "/var/tmp/out.sql", "Output must be relative to the workspace"},
        {PACKAGE + "MysqlStopStep", "checkPidFile", "server.pid", "Pid file must be an absolute path"},
        {PACKAGE + "MysqlDumpStep", "checkThreads", "65", "Threads must be a whole number from 1 to 64"},
        {PACKAGE + "WithMysqlStep", "checkStopTimeout", "0", "Stop timeout must be a whole, positive number"},
        {PACKAGE + "MysqlRestoreStep", "checkInput", "/var/tmp/shop", "Input must be relative to the workspace"},
        {PACKAGE + "MysqlRestoreStep", "checkThreads", "65", "Threads must be a whole number from 1 to 64"},
        {PACKAGE + "WithMysqlStep", "checkDatadir", "relative/data", "Data directory must be an absolute path"},
        {PACKAGE + "MysqlDumpStep", "checkCredentialsId", "no-such-id",
            "No Username with password credential with id no-such-id"},
        {PACKAGE + "SshOptions", "checkCredentialsId", "no-such-key", "No SSH Username with private key credential"},
    };

    @ClassRule
    public static BuildWatcher buildWatcher = new BuildWatcher();

    @Rule
    public JenkinsRule j = new JenkinsRule();

    @Before
    public void security() throws Exception {
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(Jenkins.READ, Item.READ).everywhere().to("reader")
                .grant(Jenkins.READ, Item.READ, Item.CONFIGURE).everywhere().to("admin"));
        j.createFreeStyleProject("p");
    }

    /** A request as the user, authenticated by API token: such requests need no crumb. */
    private WebResponse check(String user, HttpMethod method, String[] check) throws Exception {
        JenkinsRule.WebClient wc = j.createWebClient().withBasicApiToken(user);
        wc.getOptions().setThrowExceptionOnFailingStatusCode(false);
        wc.getOptions().setJavaScriptEnabled(false);
        URL url = new URL(j.getURL(), "job/p/descriptorByName/" + check[0] + "/" + check[1] + "?value="
                + URLEncoder.encode(check[2], StandardCharsets.UTF_8));
        Page page = wc.getPage(new WebRequest(url, method));
        return page.getWebResponse();
    }

    @Test
    public void configurerGetsTheError() throws Exception {
        for (String[] check : CHECKS) {
            WebResponse response = check("admin", HttpMethod.POST, check);
            assertEquals(check[0] + "/" + check[1], 200, response.getStatusCode());
            assertTrue(check[0] + "/" + check[1], response.getContentAsString().contains(check[3]));
        }
    }

    @Test
    public void readerGetsNoAnswer() throws Exception {
        for (String[] check : CHECKS) {
            WebResponse response = check("reader", HttpMethod.POST, check);
            assertEquals(check[0] + "/" + check[1], 200, response.getStatusCode());
            assertFalse(check[0] + "/" + check[1], response.getContentAsString().contains(check[3]));
        }
    }

    @Test
    public void getIsRefused() throws Exception {
        for (String[] check : CHECKS) {
            WebResponse response = check("admin", HttpMethod.GET, check);
            // @POST takes the method out of routing for other verbs, so GET finds no route: 404 (405 would be
            // @RequirePOST's answer; either refuses).
            int status = response.getStatusCode();
            assertTrue(check[0] + "/" + check[1] + " answered GET with " + status, status == 404 || status == 405);
            assertFalse(check[0] + "/" + check[1], response.getContentAsString().contains(check[3]));
        }
    }
}
