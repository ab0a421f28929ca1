package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses (stop with its real default). */
public abstract class StepExecution implements Serializable {

    private StepContext context;

    protected StepExecution(StepContext context) {
        this.context = context;
    }

    public StepContext getContext() {
        if (context == null) {
            throw new IllegalStateException("you must either pass in a StepContext to the StepExecution constructor, or have the StepExecution be created automatically");
        }
        return context;
    }

    public abstract boolean start() throws Exception;

    public void stop(Throwable cause) throws Exception {
        getContext().onFailure(cause);
    }
}
