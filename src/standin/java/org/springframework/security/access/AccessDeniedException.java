package org.springframework.security.access;

/**
 * Stand-in for the Spring Security class Jenkins 2.479.3 bundles: what AccessControlled.checkPermission declares it
 * throws, with one of its real constructors.
 */
public class AccessDeniedException extends RuntimeException {
    public AccessDeniedException(String msg) {
        super(msg);
    }
}
