package hudson.model;

import java.io.PrintStream;
import java.io.Serializable;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public interface TaskListener extends Serializable {
    PrintStream getLogger();
}
