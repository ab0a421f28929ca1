package io.jenkins.plugins.mysqllifecycle;

import hudson.model.Action;
import hudson.model.Item;
import hudson.model.Run;
import jenkins.model.RunAction2;
import jenkins.tasks.SimpleBuildStep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import jenkins.util.VirtualFile;

/**
 * The dumps a build made or tried to make, in the order they ended: the summary on the build's page
 * (summary.jelly), and, as the last successful build's action, what puts the dump trend on the job's page
 * ({@link DumpTrendAction}).
 */
public final class DumpsAction implements RunAction2, SimpleBuildStep.LastBuildAction {
    /** Copy-on-write: a Pipeline save iterates it under the build's lock while a parallel branch may add to it. */
    private final List<DumpRecord> dumps = new CopyOnWriteArrayList<>();
    private transient Run<?, ?> run;

    /** The build's action, added on first use; parallel branches of one build share it. */
    static DumpsAction of(Run<?, ?> run) {
        synchronized (run) {
            DumpsAction action = run.getAction(DumpsAction.class);
            if (action == null) {
                action = new DumpsAction();
                run.addAction(action);
            }
            return action;
        }
    }

    void add(DumpRecord dump) {
        dumps.add(dump);
    }

    /** Every record, for the trend and the page of ages, which check the job's permission themselves. */
    List<DumpRecord> records() {
        return List.copyOf(dumps);
    }

    /** What the build page shows, each dump with its artifact link; nothing to a user who may not read the build. */
    public List<Shown> getDumps() {
        if (run != null && !run.hasPermission(Item.READ)) {
            return List.of();
        }
        List<Shown> shown = new ArrayList<>();
        for (DumpRecord dump : records()) {
            shown.add(new Shown(dump, run == null ? null : dump.artifactHref(archiveOf(run))));
        }
        return shown;
    }

    /**
     * The build's archived artifacts, asked path by path: listing them all (Run#getArtifacts) would walk a parallel
     * dump's every file, remotely with an artifact manager such as S3's, on each view of the page.
     */
    private static DumpRecord.Archive archiveOf(Run<?, ?> run) {
        VirtualFile root = run.getArtifactManager().root();
        return new DumpRecord.Archive() {
            @Override
            public boolean hasFile(String path) throws IOException {
                return root.child(path).isFile();
            }

            @Override
            public boolean hasDirectory(String path) throws IOException {
                return root.child(path).isDirectory();
            }
        };
    }

    /** A dump on the build page: the record and, when it was archived, the link to the artifact. */
    public static final class Shown {
        private final DumpRecord dump;
        private final String artifactHref;

        Shown(DumpRecord dump, String artifactHref) {
            this.dump = dump;
            this.artifactHref = artifactHref;
        }

        public DumpRecord getDump() {
            return dump;
        }

        /** Relative to the build's page; null when the dump was not archived. */
        public String getArtifactHref() {
            return artifactHref;
        }
    }

    @Override
    public Collection<? extends Action> getProjectActions() {
        return run == null ? List.of() : List.of(new DumpTrendAction(run.getParent()));
    }

    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return "MySQL dumps";
    }

    @Override
    public String getUrlName() {
        return null;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }
}
