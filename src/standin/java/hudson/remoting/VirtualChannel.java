package hudson.remoting;

import java.io.IOException;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public interface VirtualChannel {
    <V, T extends Throwable> V call(Callable<V, T> callable) throws IOException, T, InterruptedException;
}
