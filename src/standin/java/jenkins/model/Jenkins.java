package jenkins.model;

import hudson.model.AbstractCIBase;
import hudson.model.Computer;
import hudson.model.Descriptor;
import hudson.model.DescriptorByNameOwner;
import hudson.model.ModifiableViewGroup;
import hudson.model.View;
import hudson.security.AccessControlled;
import hudson.security.Permission;
import hudson.slaves.NodeDescriptor;
import jakarta.servlet.ServletContext;
import java.io.File;
import java.io.IOException;
import jenkins.util.io.OnMaster;
import org.jvnet.hudson.reactor.ReactorException;
import org.kohsuke.stapler.StaplerFallback;
import org.kohsuke.stapler.StaplerProxy;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * Stand-in for the Jenkins 2.479.3 API: only what the plugin uses, and the real implementations of the abstract
 * methods of its interfaces (the class is concrete, as the real one is).
 */
@ExportedBean
public class Jenkins extends AbstractCIBase implements DirectlyModifiableTopLevelItemGroup, StaplerProxy, StaplerFallback,
        ModifiableViewGroup, AccessControlled, DescriptorByNameOwner,
        ModelObjectWithContextMenu, ModelObjectWithChildren, OnMaster, Loadable {

    public static final Permission ADMINISTER = null;
    public static final Permission READ = null;

    protected Jenkins(File root, ServletContext context) throws IOException, InterruptedException, ReactorException {
        throw new UnsupportedOperationException("stand-in");
    }

    public static Jenkins get() throws IllegalStateException {
        throw new UnsupportedOperationException("stand-in");
    }

    public Computer getComputer(String name) {
        throw new UnsupportedOperationException("stand-in");
    }

    @SuppressWarnings("rawtypes")
    public <T extends Descriptor> T getDescriptorByType(Class<T> type) {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public String getDisplayName() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public NodeDescriptor getDescriptor() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public Object getTarget() {
        throw new UnsupportedOperationException("stand-in");
    }

    @Override
    public View getStaplerFallback() {
        throw new UnsupportedOperationException("stand-in");
    }
}
