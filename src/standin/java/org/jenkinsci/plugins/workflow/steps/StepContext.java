package org.jenkinsci.plugins.workflow.steps;

import com.google.common.util.concurrent.FutureCallback;
import java.io.IOException;
import java.io.Serializable;

/**
 * Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. {@code onFailure(Throwable)} comes from
 * {@link FutureCallback}, as in the real class.
 */
public abstract class StepContext implements FutureCallback<Object>, Serializable {

    public abstract <T> T get(Class<T> key) throws IOException, InterruptedException;

    @Override
    public abstract void onSuccess(Object result);

    public abstract BodyInvoker newBodyInvoker() throws IllegalStateException;

    private static final long serialVersionUID = 1L;
}
