package jenkins.scm;

import hudson.model.Job;
import hudson.model.Run;

/** Stand-in for the Jenkins 2.479.3 API: only a supertype of what the plugin uses, declared as the real one, without members. */
public interface RunWithSCM<JobT extends Job<JobT, RunT>,
        RunT extends Run<JobT, RunT> & RunWithSCM<JobT, RunT>> {
}
