package jenkins.tasks;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.tasks.BuildWrapper;
import java.io.IOException;
import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * Stand-in for the Jenkins 2.479.3 API: only what the plugin uses, with Context's real behaviour so that the plugin's
 * tests can run a wrapper's set-up and its disposer as a freestyle build does.
 */
@SuppressWarnings("rawtypes")
public abstract class SimpleBuildWrapper extends BuildWrapper {

    public void setUp(Context context, Run<?, ?> build, FilePath workspace, Launcher launcher, TaskListener listener,
                      EnvVars initialEnvironment) throws IOException, InterruptedException {
        throw new AbstractMethodError("Unless a build wrapper is marked as not requiring a workspace context, you must"
                + " implement the overload of the setUp() method that takes both a workspace and a launcher.");
    }

    public static final class Context {
        private Disposer disposer;
        private final Map<String, String> env = new HashMap<>();

        @Deprecated
        public Context() {
        }

        public void env(String key, String value) {
            if (env.containsKey(key)) {
                throw new IllegalStateException("just one binding for " + key);
            }
            env.put(key, value);
        }

        public Disposer getDisposer() {
            return disposer;
        }

        public Map<String, String> getEnv() {
            return env;
        }

        public void setDisposer(Disposer disposer) {
            if (this.disposer != null) {
                throw new IllegalStateException("just one disposer");
            }
            this.disposer = disposer;
        }
    }

    public abstract static class Disposer implements Serializable {

        private static final long serialVersionUID = 1L;

        public void tearDown(Run<?, ?> build, FilePath workspace, Launcher launcher, TaskListener listener)
                throws IOException, InterruptedException {
            throw new AbstractMethodError("Unless an end-of-wrapped-block callback is marked as not requiring a"
                    + " workspace context, you must implement the overload of the tearDown() method that takes both a"
                    + " workspace and a launcher.");
        }
    }
}
