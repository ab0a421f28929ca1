package hudson.security;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public interface AccessControlled {
    default boolean hasPermission(Permission permission) {
        throw new UnsupportedOperationException("stand-in");
    }
}
