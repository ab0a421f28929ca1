package hudson.security;

import org.springframework.security.access.AccessDeniedException;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public interface AccessControlled {
    default void checkPermission(Permission permission) throws AccessDeniedException {
        throw new UnsupportedOperationException("stand-in");
    }

    default boolean hasPermission(Permission permission) {
        throw new UnsupportedOperationException("stand-in");
    }
}
