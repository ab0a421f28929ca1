package org.jenkinsci.remoting;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public interface RoleSensitive {
    void checkRoles(RoleChecker checker) throws SecurityException;
}
