package hudson.model.listeners;

import hudson.ExtensionPoint;
import hudson.model.Run;
import hudson.model.TaskListener;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
@SuppressWarnings("rawtypes")
public abstract class RunListener<R extends Run> implements ExtensionPoint {
    protected RunListener() {
    }

    public void onCompleted(R r, TaskListener listener) {
    }
}
