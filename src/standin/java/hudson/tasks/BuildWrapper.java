package hudson.tasks;

import hudson.ExtensionPoint;
import hudson.model.AbstractDescribableImpl;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public abstract class BuildWrapper extends AbstractDescribableImpl<BuildWrapper> implements ExtensionPoint {
}
