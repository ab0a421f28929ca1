package io.jenkins.plugins.mysqllifecycle;

import hudson.Extension;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.RootAction;
import hudson.model.Run;
import jenkins.model.Jenkins;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /mysql-dumps/}: for each host and database set, how old its last dump and its last verified dump are,
 * across the jobs the user may read, oldest first; older than {@link DumpAgeConfiguration#getStaleAfterHours} is
 * marked. It reads the newest {@link #BUILDS} builds of each of those jobs.
 */
@Extension
public final class DumpAgesAction implements RootAction {
    /** How many of each job's newest builds the page reads. */
    static final int BUILDS = 50;

    /** The rows; only dumps of jobs the user may read count. */
    @SuppressWarnings("rawtypes")
    public List<DumpAges.Row> getRows() {
        Jenkins jenkins = Jenkins.get();
        jenkins.checkPermission(Jenkins.READ);
        List<DumpAges.Found> found = new ArrayList<>();
        // allItems gives only the jobs the user may read; the check below says so again where it matters
        for (Job job : jenkins.allItems(Job.class)) {
            if (!job.hasPermission(Item.READ)) {
                continue;
            }
            Run<?, ?> build = job.getLastBuild();
            for (int i = 0; build != null && i < BUILDS; i++, build = build.getPreviousBuild()) {
                DumpsAction dumps = build.getAction(DumpsAction.class);
                if (dumps == null) {
                    continue;
                }
                for (DumpRecord dump : dumps.records()) {
                    found.add(new DumpAges.Found(job.getFullDisplayName(), build.getDisplayName(), build.getUrl(),
                            dump));
                }
            }
        }
        return DumpAges.rows(found, Instant.now(), Duration.ofHours(getStaleAfterHours()));
    }

    public int getStaleAfterHours() {
        return DumpAgeConfiguration.get().getStaleAfterHours();
    }

    public int getBuilds() {
        return BUILDS;
    }

    /** In the side panel of users with Overall/Read only. */
    @Override
    public String getIconFileName() {
        return Jenkins.get().hasPermission(Jenkins.READ) ? "symbol-server" : null;
    }

    @Override
    public String getDisplayName() {
        return "MySQL dump ages";
    }

    @Override
    public String getUrlName() {
        return "mysql-dumps";
    }
}
