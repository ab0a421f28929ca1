package com.cloudbees.jenkins.plugins.sshcredentials;

import com.cloudbees.plugins.credentials.common.StandardUsernameCredentials;

/** Stand-in for ssh-credentials 359.v2191c4cf635f (the bom-2.479.x pin): only what the plugin uses. */
@Deprecated
public interface SSHUser extends StandardUsernameCredentials {
}
