package org.springframework.security.core;

import java.io.Serializable;
import java.security.Principal;

/**
 * Stand-in for Spring Security's Authentication, as Jenkins 2.479.3 bundles it: only a type the plugin names, declared
 * as the real one, without members.
 */
public interface Authentication extends Principal, Serializable {
}
