package com.cloudbees.jenkins.plugins.sshcredentials;

import hudson.util.Secret;
import java.util.List;

/** Stand-in for ssh-credentials 359.v2191c4cf635f (the bom-2.479.x pin): only what the plugin uses. */
public interface SSHUserPrivateKey extends SSHUser {
    Secret getPassphrase();

    List<String> getPrivateKeys();
}
