package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public abstract class BodyExecutionCallback implements Serializable {

    public abstract void onSuccess(StepContext context, Object result);

    public abstract void onFailure(StepContext context, Throwable t);

    private static final long serialVersionUID = 1L;
}
