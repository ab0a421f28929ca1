package hudson.model;

import hudson.security.AccessControlled;
import hudson.security.Permission;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public interface Item extends AccessControlled {
    Permission CONFIGURE = null;
}
