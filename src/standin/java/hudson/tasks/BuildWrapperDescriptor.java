package hudson.tasks;

import hudson.model.AbstractProject;
import hudson.model.Descriptor;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public abstract class BuildWrapperDescriptor extends Descriptor<BuildWrapper> {
    protected BuildWrapperDescriptor() {
    }

    public abstract boolean isApplicable(AbstractProject<?, ?> item);
}
