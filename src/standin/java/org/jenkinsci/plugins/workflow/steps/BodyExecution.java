package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;
import java.util.concurrent.Future;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public abstract class BodyExecution implements Future<Object>, Serializable {

    public boolean cancel(Throwable t) {
        throw new AbstractMethodError("Override cancel(Throwable) from " + getClass());
    }

    private static final long serialVersionUID = 1L;
}
