package hudson.model;

import hudson.security.AccessControlled;
import jenkins.model.Loadable;
import org.kohsuke.stapler.HttpDeletable;
import org.kohsuke.stapler.StaplerProxy;
import org.kohsuke.stapler.export.ExportedBean;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
@SuppressWarnings("rawtypes")
@ExportedBean
public abstract class AbstractItem extends Actionable implements Loadable, Item, HttpDeletable, AccessControlled, DescriptorByNameOwner, StaplerProxy {
    protected AbstractItem(ItemGroup parent, String name) {
    }

    public final String getFullDisplayName() {
        throw new UnsupportedOperationException("stand-in");
    }
}
