package hudson.model.queue;

import hudson.model.Queue.Task;
import org.springframework.security.core.Authentication;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public class Tasks {
    public static Authentication getAuthenticationOf2(Task t) {
        throw new UnsupportedOperationException("stand-in");
    }
}
