package hudson.security;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public final class Permission {
    private Permission() {
    }
}
