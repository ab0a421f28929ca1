package jenkins.model;

import jenkins.util.VirtualFile;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public abstract class ArtifactManager {
    public abstract VirtualFile root();
}
