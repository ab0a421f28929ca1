package org.jenkinsci.plugins.workflow.steps;

import java.io.IOException;
import java.io.Serializable;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public abstract class StepContext implements Serializable {

    public abstract <T> T get(Class<T> key) throws IOException, InterruptedException;
}
