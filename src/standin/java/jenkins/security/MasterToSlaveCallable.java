package jenkins.security;

import hudson.remoting.Callable;
import org.jenkinsci.remoting.RoleChecker;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public abstract class MasterToSlaveCallable<V, T extends Throwable> implements Callable<V, T> {

    @Override
    public void checkRoles(RoleChecker checker) throws SecurityException {
    }
}
