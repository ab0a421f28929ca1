package hudson;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public abstract class Launcher {
    protected Launcher(Launcher launcher) {
    }
}
