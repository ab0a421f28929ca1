package com.cloudbees.plugins.credentials.domains;

import hudson.ExtensionPoint;
import java.io.Serializable;

/** Stand-in for credentials 1415.v831096eb_5534 (the bom-2.479.x pin): only what the plugin uses. */
public class DomainRequirement implements ExtensionPoint, Serializable {
}
