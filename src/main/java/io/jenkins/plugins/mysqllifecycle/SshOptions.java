package io.jenkins.plugins.mysqllifecycle;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.Password;
import io.jenkins.plugins.mysqllifecycle.engine.SshTarget;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import hudson.model.Item;
import hudson.model.Run;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code ssh: [host: 'db-7', credentialsId: 'db-guests']}: run the step against a machine reached over SSH from the
 * agent, for guests that have no Jenkins agent. The user, key and passphrase come from an SSH private key credential
 * of the credentials store, or the key file and passphrase from environment variables (as
 * {@code withCredentials(sshUserPrivateKey(...))} binds them); never from the job's text.
 */
public final class SshOptions extends AbstractDescribableImpl<SshOptions> {
    private final String host;
    private final String user;
    private int port = 22;
    private String credentialsId;
    private String identityVariable;
    private String passphraseVariable;
    private String knownHostsFile;
    private String hostKeyCheck = SshTarget.HostKeyCheck.STRICT.id();

    @DataBoundConstructor
    public SshOptions(String host, String user) {
        this.host = host;
        this.user = user;
    }

    public String getHost() {
        return host;
    }

    public String getUser() {
        return user;
    }

    public int getPort() {
        return port;
    }

    @DataBoundSetter
    public void setPort(int port) {
        this.port = port;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    /**
     * The id of an SSH private key credential: its user, keys and passphrase log in (user may then be left out).
     * Instead of identityVariable and passphraseVariable, never beside them.
     */
    @DataBoundSetter
    public void setCredentialsId(String credentialsId) {
        this.credentialsId = JobCredentials.blankToNull(credentialsId);
    }

    public String getIdentityVariable() {
        return identityVariable;
    }

    @DataBoundSetter
    public void setIdentityVariable(String identityVariable) {
        this.identityVariable = identityVariable;
    }

    public String getPassphraseVariable() {
        return passphraseVariable;
    }

    @DataBoundSetter
    public void setPassphraseVariable(String passphraseVariable) {
        this.passphraseVariable = passphraseVariable;
    }

    public String getKnownHostsFile() {
        return knownHostsFile;
    }

    @DataBoundSetter
    public void setKnownHostsFile(String knownHostsFile) {
        this.knownHostsFile = knownHostsFile;
    }

    public String getHostKeyCheck() {
        return hostKeyCheck;
    }

    @DataBoundSetter
    public void setHostKeyCheck(String hostKeyCheck) {
        this.hostKeyCheck = hostKeyCheck;
    }

    /**
     * The engine's target: with the key of the credential, looked up for the build, or with the key file and
     * passphrase read from the build's environment.
     */
    SshTarget target(Run<?, ?> run, EnvVars environment, String step) throws AbortException {
        SshTarget.HostKeyCheck check;
        try {
            check = SshTarget.HostKeyCheck.fromId(hostKeyCheck == null ? "strict" : hostKeyCheck);
        } catch (InvalidSpecException e) {
            throw new AbortException(step + ": ssh: " + e.getMessage());
        }
        if (JobCredentials.given(credentialsId)) {
            return credentialTarget(run, step, check);
        }
        String keyFile = variable(environment, identityVariable, "identityVariable", step);
        if (keyFile == null) {
            throw new AbortException(step + ": ssh needs credentialsId, the id of an SSH private key credential, or"
                    + " identityVariable, the name of an environment variable that holds the private key file's path,"
                    + " e.g. withCredentials([sshUserPrivateKey(credentialsId: 'db-guests', keyFileVariable: 'KEY',"
                    + " passphraseVariable: 'KEY_PASS')]) { ... }");
        }
        String passphrase = variable(environment, passphraseVariable, "passphraseVariable", step);
        try {
            return SshTarget.of(user, host, port, keyFile, Password.of(passphrase), null, knownHostsFile, check);
        } catch (InvalidSpecException e) {
            throw new AbortException(step + ": ssh: " + e.getMessage());
        }
    }

    private SshTarget credentialTarget(Run<?, ?> run, String step, SshTarget.HostKeyCheck check)
            throws AbortException {
        String id = credentialsId.strip();
        if (JobCredentials.given(identityVariable) || JobCredentials.given(passphraseVariable)) {
            throw new AbortException(step + ": ssh: give credentialsId or identityVariable and passphraseVariable,"
                    + " not both: the credential '" + id + "' holds the key and its passphrase");
        }
        JobCredentials.SshLogin login = JobCredentials.sshKey(id, user, run, step);
        try {
            return SshTarget.withKeys(login.user(), host, port, login.keys(), login.passphrase(), knownHostsFile,
                    check);
        } catch (InvalidSpecException e) {
            throw new AbortException(step + ": ssh: " + e.getMessage());
        }
    }

    private static String variable(EnvVars environment, String name, String option, String step)
            throws AbortException {
        if (name == null || name.isBlank()) {
            return null;
        }
        String value = environment == null ? null : environment.get(name);
        if (value == null) {
            throw new AbortException(step + ": ssh " + option + " names " + name + ", but the build has no such"
                    + " environment variable; bind it around the step with withCredentials");
        }
        return value;
    }

    @Extension
    public static final class DescriptorImpl extends Descriptor<SshOptions> {
        @Override
        public String getDisplayName() {
            return "Run on another machine over SSH";
        }

        @POST
        public FormValidation doCheckHost(@AncestorInPath Item item, @QueryParameter String value) {
            return Validation.allowed(item) ? Validation.required(value, "Host") : FormValidation.ok();
        }

        /** Required unless credentials give it; beside them, only their own user is accepted when the step runs. */
        @POST
        public FormValidation doCheckUser(@AncestorInPath Item item, @QueryParameter String value,
                                          @QueryParameter String credentialsId) {
            if (!Validation.allowed(item)) {
                return FormValidation.ok();
            }
            return JobCredentials.given(credentialsId) ? Validation.credentialsUser(value)
                    : Validation.required(value, "User");
        }

        @POST
        public FormValidation doCheckPort(@AncestorInPath Item item, @QueryParameter String value) {
            return Validation.allowed(item) ? Validation.port(value, false) : FormValidation.ok();
        }

        @POST
        public FormValidation doCheckIdentityVariable(@AncestorInPath Item item, @QueryParameter String value,
                                                      @QueryParameter String credentialsId) {
            return Validation.allowed(item) && !JobCredentials.given(credentialsId)
                    ? Validation.required(value, "Credentials or a key file variable") : FormValidation.ok();
        }

        @POST
        public ListBoxModel doFillCredentialsIdItems(@AncestorInPath Item item,
                                                     @QueryParameter String credentialsId) {
            return JobCredentials.fill(item, credentialsId, SSHUserPrivateKey.class);
        }

        @POST
        public FormValidation doCheckCredentialsId(@AncestorInPath Item item, @QueryParameter String value,
                                                   @QueryParameter String identityVariable) {
            return JobCredentials.check(item, value, SSHUserPrivateKey.class, JobCredentials.SSH_PRIVATE_KEY,
                    identityVariable, "a key file variable");
        }

        /** Holds nothing private: the same list for every user and page (see Validation#compressions). */
        @POST
        public ListBoxModel doFillHostKeyCheckItems() {
            ListBoxModel items = new ListBoxModel();
            items.add("strict: refuse unknown and changed keys", SshTarget.HostKeyCheck.STRICT.id());
            items.add("acceptNew: add unknown keys, refuse changed ones", SshTarget.HostKeyCheck.ACCEPT_NEW.id());
            items.add("off: accept any key (insecure)", SshTarget.HostKeyCheck.OFF.id());
            return items;
        }
    }
}
