package hudson;

import hudson.model.Computer;
import hudson.remoting.Callable;
import java.io.File;
import java.io.IOException;
import org.jenkinsci.remoting.SerializableOnlyOverRemoting;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public final class FilePath implements SerializableOnlyOverRemoting {
    private final String remote;

    public FilePath(File localPath) {
        this.remote = localPath.getPath();
    }

    public String getRemote() {
        return remote;
    }

    public FilePath child(String relOrAbsolute) {
        File rel = new File(relOrAbsolute);
        return new FilePath(rel.isAbsolute() ? rel : new File(remote, relOrAbsolute));
    }

    public <V, E extends Throwable> V act(Callable<V, E> callable) throws IOException, InterruptedException, E {
        return callable.call();
    }

    public Computer toComputer() {
        return null;
    }
}
