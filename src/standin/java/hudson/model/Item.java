package hudson.model;

import hudson.security.AccessControlled;
import hudson.security.Permission;
import hudson.search.SearchableModelObject;
import jenkins.util.io.OnMaster;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public interface Item extends PersistenceRoot, SearchableModelObject, AccessControlled, OnMaster {
    Permission CONFIGURE = null;
    Permission READ = null;
    Permission EXTENDED_READ = null;
}
