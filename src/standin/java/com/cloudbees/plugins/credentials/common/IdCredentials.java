package com.cloudbees.plugins.credentials.common;

import com.cloudbees.plugins.credentials.Credentials;

/** Stand-in for credentials 1415.v831096eb_5534 (the bom-2.479.x pin): only what the plugin uses. */
public interface IdCredentials extends Credentials {
}
