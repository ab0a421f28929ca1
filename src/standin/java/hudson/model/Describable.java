package hudson.model;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public interface Describable<T extends Describable<T>> {
    Descriptor<T> getDescriptor();
}
