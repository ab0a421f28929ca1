package hudson.model;

import hudson.remoting.VirtualChannel;
import hudson.security.AccessControlled;
import jenkins.widgets.HasWidgets;
import org.kohsuke.stapler.StaplerProxy;
import org.kohsuke.stapler.export.ExportedBean;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
@ExportedBean
public /*transient*/ abstract class Computer extends Actionable implements AccessControlled, ExecutorListener, DescriptorByNameOwner, StaplerProxy, HasWidgets {
    protected Computer(Node node) {
    }

    public String getName() {
        throw new UnsupportedOperationException("stand-in");
    }

    public abstract VirtualChannel getChannel();
}
