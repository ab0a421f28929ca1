package hudson.model;

import hudson.ExtensionPoint;

/** Stand-in for the Jenkins 2.479.3 API: only the parameter type of Queue's constructor here. */
public abstract class LoadBalancer implements ExtensionPoint {
}
