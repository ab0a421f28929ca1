package hudson.model;

import hudson.ExtensionPoint;

/** Stand-in for the Jenkins 2.479.3 API: the real one declares no members of its own. */
public interface RootAction extends Action, ExtensionPoint {
}
