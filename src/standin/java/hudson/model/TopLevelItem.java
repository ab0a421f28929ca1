package hudson.model;

import hudson.ExtensionPoint;

/** Stand-in for the Jenkins 2.479.3 API: only a supertype of what the plugin uses, declared as the real one, without members. */
public interface TopLevelItem extends Item, ExtensionPoint, Describable<TopLevelItem> {
}
