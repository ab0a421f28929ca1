package hudson.model;

import jenkins.model.Loadable;
import jenkins.util.io.OnMaster;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public abstract class Descriptor<T extends Describable<T>> implements Loadable, Saveable, OnMaster {
    protected Descriptor() {
    }

    /** The stand-in serves no help pages: UiFilesTest checks that every redirect's target file exists. */
    @SuppressWarnings("rawtypes")
    protected void addHelpFileRedirect(String fieldName, Class<? extends Describable> owner,
                                       String fieldNameToRedirectTo) {
    }

    public String getDisplayName() {
        throw new UnsupportedOperationException("stand-in");
    }

    public synchronized void save() {
        throw new UnsupportedOperationException("stand-in");
    }

    public synchronized void load() {
        throw new UnsupportedOperationException("stand-in");
    }
}
