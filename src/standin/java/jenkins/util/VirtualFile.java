package jenkins.util;

import java.io.IOException;
import java.io.Serializable;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public abstract class VirtualFile implements Comparable<VirtualFile>, Serializable {
    public abstract boolean isDirectory() throws IOException;

    public abstract boolean isFile() throws IOException;

    public abstract VirtualFile child(String name);
}
