package hudson.model;

import hudson.ExtensionPoint;
import hudson.security.AccessControlled;
import java.util.Calendar;
import jenkins.console.WithConsoleUrl;
import jenkins.model.ArtifactManager;
import jenkins.model.HistoricalBuild;
import jenkins.util.io.OnMaster;
import org.kohsuke.stapler.StaplerProxy;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * Stand-in for the Jenkins 2.479.3 API: only what the plugin uses, and what a concrete subclass in the tests needs
 * (one of the real constructors, and the real implementations of its interfaces' abstract methods).
 */
@ExportedBean
public abstract class Run<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>>
        extends Actionable implements ExtensionPoint, Comparable<RunT>, AccessControlled, PersistenceRoot, DescriptorByNameOwner, OnMaster, StaplerProxy, HistoricalBuild, WithConsoleUrl {

    protected Run(JobT job, Calendar timestamp) {
    }

    @Override
    public int compareTo(RunT that) {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public String getDisplayName() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public Object getTarget() {
        throw new UnsupportedOperationException("stand-in");
    }

    public JobT getParent() {
        throw new UnsupportedOperationException("stand-in");
    }

    public int getNumber() {
        throw new UnsupportedOperationException("stand-in");
    }

    public RunT getPreviousBuild() {
        throw new UnsupportedOperationException("stand-in");
    }

    public String getUrl() {
        throw new UnsupportedOperationException("stand-in");
    }

    public final ArtifactManager getArtifactManager() {
        throw new UnsupportedOperationException("stand-in");
    }
}
