package hudson.model;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
@SuppressWarnings("rawtypes")
public abstract class AbstractProject<P extends AbstractProject<P, R>, R extends AbstractBuild<P, R>> extends Job<P, R> {
    protected AbstractProject(ItemGroup parent, String name) {
        super(parent, name);
    }
}
