package hudson.model;

import java.io.PrintStream;
import org.jenkinsci.remoting.SerializableOnlyOverRemoting;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public interface TaskListener extends SerializableOnlyOverRemoting {
    PrintStream getLogger();
}
