package org.kohsuke.stapler;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Stand-in for the stapler Jenkins 2.479.3 bundles (1903.1905.ve5a_f469356f0): only a type of what the plugin uses,
 * declared as the real one; what the plugin calls on it is the servlet API's.
 */
public interface StaplerResponse2 extends HttpServletResponse {
}
