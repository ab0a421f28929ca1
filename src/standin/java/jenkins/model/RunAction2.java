package jenkins.model;

import hudson.model.Action;
import hudson.model.Run;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public interface RunAction2 extends Action {
    void onAttached(Run<?, ?> r);

    void onLoad(Run<?, ?> r);
}
