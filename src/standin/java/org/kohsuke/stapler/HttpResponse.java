package org.kohsuke.stapler;

/**
 * Stand-in for the stapler Jenkins 2.479.3 bundles (1903.1905.ve5a_f469356f0), whose two methods are default ones;
 * it replaces the class of the same name in stapler 1.263 (the jar of annotations on the class path), where the one
 * method is abstract and typed with javax.servlet. Only a supertype here, without members.
 */
public interface HttpResponse {
}
