package org.jenkinsci.plugins.workflow.steps;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public abstract class BodyInvoker {

    public abstract BodyInvoker withContext(Object override);

    public abstract BodyInvoker withCallback(BodyExecutionCallback callback);

    public abstract BodyExecution start();
}
