package hudson.model;

import java.util.Calendar;
import jenkins.model.lazy.LazyBuildMixIn;
import jenkins.scm.RunWithSCM;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public abstract class AbstractBuild<P extends AbstractProject<P, R>, R extends AbstractBuild<P, R>> extends Run<P, R> implements Queue.Executable, LazyBuildMixIn.LazyLoadingRun<P, R>, RunWithSCM<P, R> {
    protected AbstractBuild(P job, Calendar timestamp) {
        super(job, timestamp);
    }
}
