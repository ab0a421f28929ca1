package hudson.security;

import org.springframework.security.core.Authentication;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public abstract class ACL {
    public static final Authentication SYSTEM2 = null;
}
