package hudson.slaves;

import hudson.model.Descriptor;
import hudson.model.Node;

/** Stand-in for the Jenkins 2.479.3 API: only the return type of Jenkins.getDescriptor() here. */
public abstract class NodeDescriptor extends Descriptor<Node> {
    protected NodeDescriptor() {
    }
}
