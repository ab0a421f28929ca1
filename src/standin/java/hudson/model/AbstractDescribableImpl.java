package hudson.model;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public abstract class AbstractDescribableImpl<T extends AbstractDescribableImpl<T>> implements Describable<T> {
    @Override
    public Descriptor<T> getDescriptor() {
        throw new UnsupportedOperationException("stand-in");
    }
}
