package hudson;

import java.io.IOException;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public class AbortException extends IOException {
    public AbortException(String message) {
        super(message);
    }
}
