package hudson.model;

import hudson.remoting.VirtualChannel;

/** Stand-in for the Jenkins 2.479.3 API: only what the plugin uses. */
public abstract class Computer {
    public String getName() {
        throw new UnsupportedOperationException("stand-in");
    }

    public abstract VirtualChannel getChannel();
}
