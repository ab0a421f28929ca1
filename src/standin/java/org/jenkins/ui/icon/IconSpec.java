package org.jenkins.ui.icon;

/** Stand-in for the Jenkins 2.479.3 API: only a supertype of what the plugin uses, declared as the real one, without members. */
public interface IconSpec {
}
