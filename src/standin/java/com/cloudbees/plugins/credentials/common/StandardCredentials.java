package com.cloudbees.plugins.credentials.common;

/** Stand-in for credentials 1415.v831096eb_5534 (the bom-2.479.x pin): only what the plugin uses. */
public interface StandardCredentials extends IdCredentials {
}
