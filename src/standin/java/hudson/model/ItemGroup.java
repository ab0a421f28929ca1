package hudson.model;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public interface ItemGroup<T extends Item> extends PersistenceRoot, ModelObject {
    default <T extends Item> Iterable<T> allItems(Class<T> type) {
        throw new UnsupportedOperationException("stand-in");
    }
}
