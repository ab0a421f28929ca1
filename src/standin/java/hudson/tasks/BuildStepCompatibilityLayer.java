package hudson.tasks;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
@Deprecated
public abstract class BuildStepCompatibilityLayer implements BuildStep {
}
