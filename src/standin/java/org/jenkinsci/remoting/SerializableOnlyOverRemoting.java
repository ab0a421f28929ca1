package org.jenkinsci.remoting;

import java.io.Serializable;

/** Stand-in for the remoting library Jenkins 2.479.3 bundles: the supertype of FilePath and TaskListener. */
public interface SerializableOnlyOverRemoting extends Serializable {
}
