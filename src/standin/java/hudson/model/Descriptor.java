package hudson.model;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public abstract class Descriptor<T extends Describable<T>> {
    protected Descriptor() {
    }

    public String getDisplayName() {
        throw new UnsupportedOperationException("stand-in");
    }
}
