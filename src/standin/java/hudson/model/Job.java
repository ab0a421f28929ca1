package hudson.model;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public abstract class Job<JobT extends Job<JobT, RunT>, RunT extends Run<JobT, RunT>> {
}
