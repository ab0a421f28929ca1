package io.jenkins.plugins.mysqllifecycle;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.Credentials;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.common.StandardCredentials;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import io.jenkins.plugins.mysqllifecycle.engine.Password;
import io.jenkins.plugins.mysqllifecycle.engine.SshKey;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.Run;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import hudson.util.Secret;
import jenkins.model.Jenkins;
import org.springframework.security.core.Authentication;

import java.util.ArrayList;
import java.util.List;

/**
 * Credentials of the Jenkins credentials store, by id: looked up on the controller for the build (so folder
 * credentials and the job's own permissions apply), recorded as used by it, and turned into the engine's secret
 * values ({@link Password}, {@link SshKey}), which travel to the agent only inside the call that needs them. Steps keep
 * the id, never the secret.
 */
final class JobCredentials {
    static final String USERNAME_PASSWORD = "Username with password";
    static final String SSH_PRIVATE_KEY = "SSH Username with private key";

    /** Where credentials come from: the credentials store; tests feed their own through {@link #lookup}. */
    interface Lookup {
        /** The credential with this id that the build may use, whatever its type; null if there is none. */
        IdCredentials find(String id, Run<?, ?> run);

        /** Records on the credential that this build used it. */
        void track(Run<?, ?> run, Credentials credentials);
    }

    static final Lookup STORE = new Lookup() {
        @Override
        public IdCredentials find(String id, Run<?, ?> run) {
            return CredentialsProvider.findCredentialById(id, IdCredentials.class, run);
        }

        @Override
        public void track(Run<?, ?> run, Credentials credentials) {
            CredentialsProvider.track(run, credentials);
        }
    };

    /** The seam: {@link #STORE} except in stand-in tests, which have no Jenkins to ask. */
    static volatile Lookup lookup = STORE;

    private JobCredentials() {
    }

    /** A database account from a usernamePassword credential. Its password prints as ****. */
    record Account(String user, Password password) {
    }

    /** A login from an SSH private key credential: keys and passphrase print as ****. */
    record SshLogin(String user, List<SshKey> keys, Password passphrase) {
    }

    static boolean given(String value) {
        return value != null && !value.isBlank();
    }

    static String blankToNull(String value) {
        return given(value) ? value.strip() : null;
    }

    /** @param user the user the step names beside the credential, which must be the credential's; null for none */
    static Account account(String credentialsId, String user, Run<?, ?> run, String step) throws AbortException {
        StandardUsernamePasswordCredentials found = find(credentialsId, StandardUsernamePasswordCredentials.class,
                USERNAME_PASSWORD, run, step);
        sameUser(user, found.getUsername(), credentialsId, step);
        track(run, found);
        return new Account(found.getUsername(), Password.of(Secret.toString(found.getPassword())));
    }

    /** The user a dump or restore logs in as when neither its user nor a credential names one. */
    static final String DEFAULT_USER = "root";

    /**
     * The account a dump or restore logs in with: a credential's, or the step's user (root if none) with the
     * password of the variable or of a freestyle builder's stored {@link Secret}. A credential beside either of those
     * passwords, or beside a user that is not its own, is bad input.
     *
     * @param storedPassword a freestyle builder's own password; null for none
     */
    static Account databaseAccount(Run<?, ?> run, EnvVars environment, String user, String credentialsId,
                                   String passwordVariable, Password storedPassword, String step)
            throws AbortException {
        if (!given(credentialsId)) {
            Password password = storedPassword != null ? storedPassword
                    : MysqlDumpStep.passwordFrom(environment, passwordVariable, step);
            return new Account(given(user) ? user : DEFAULT_USER, password);
        }
        if (given(passwordVariable)) {
            throw new AbortException(step + ": give credentialsId or passwordVariable, not both: the credential '"
                    + credentialsId.strip() + "' holds the password");
        }
        if (storedPassword != null) {
            throw new AbortException(step + ": this build step has both a stored password and the credential '"
                    + credentialsId.strip() + "'; clear the stored password, the credential holds it");
        }
        return account(credentialsId, user, run, step);
    }

    /** @param user the user the ssh: option names beside the credential, which must be the credential's; or null */
    static SshLogin sshKey(String credentialsId, String user, Run<?, ?> run, String step) throws AbortException {
        SSHUserPrivateKey found = find(credentialsId, SSHUserPrivateKey.class, SSH_PRIVATE_KEY, run, step);
        sameUser(user, found.getUsername(), credentialsId, step + ": ssh");
        List<SshKey> keys = new ArrayList<>();
        for (String key : found.getPrivateKeys()) {
            SshKey parsed = SshKey.of(key);
            if (parsed != null) {
                keys.add(parsed);
            }
        }
        if (keys.isEmpty()) {
            throw new AbortException(step + ": the " + SSH_PRIVATE_KEY + " credential '" + credentialsId.strip()
                    + "' holds no private key");
        }
        track(run, found);
        return new SshLogin(found.getUsername(), keys, Password.of(Secret.toString(found.getPassphrase())));
    }

    /** The credential's own user name is not shown: a credential may mark it secret. */
    private static void sameUser(String user, String credentialUser, String credentialsId, String step)
            throws AbortException {
        if (given(user) && !user.equals(credentialUser)) {
            throw new AbortException(step + ": user '" + user + "' is not the user of the credential '"
                    + credentialsId.strip() + "'; leave user out (the credential gives it) or choose that user's"
                    + " credential");
        }
    }

    /** Recorded only once the credential is going to be used: a refused step used none. */
    private static void track(Run<?, ?> run, Credentials credential) {
        lookup.track(run, credential);
    }

    /**
     * The credential, checked for its type; a missing one, one the build may not use and one of another type fail the
     * build before anything runs, naming the id and the type expected.
     */
    private static <C extends IdCredentials> C find(String id, Class<C> type, String typeName, Run<?, ?> run,
                                                    String step) throws AbortException {
        String wanted = id.strip();
        IdCredentials found = lookup.find(wanted, run);
        if (found == null) {
            throw new AbortException(step + ": no credential with id '" + wanted + "' that this build may use; it"
                    + " needs a " + typeName + " credential (" + type.getSimpleName() + ") with that id, in Jenkins"
                    + " or in a folder that holds the job, that the job may use");
        }
        if (!type.isInstance(found)) {
            throw new AbortException(step + ": the credential '" + wanted + "' is a " + found.getClass()
                    .getSimpleName() + "; this option needs a " + typeName + " credential (" + type.getSimpleName()
                    + ")");
        }
        return type.cast(found);
    }

    /**
     * The credentials drop-down, as the credentials plugin's consumer guide writes it: only users who could choose
     * credentials for the job (or, without a job, administrators) see the store's; the others see the current value.
     */
    static ListBoxModel fill(Item item, String credentialsId, Class<? extends StandardCredentials> type) {
        StandardListBoxModel result = new StandardListBoxModel();
        if (!mayList(item)) {
            return result.includeCurrentValue(credentialsId);
        }
        return result.includeEmptyValue()
                .includeMatchingAs(authentication(item), item, type, List.of(), CredentialsMatchers.always())
                .includeCurrentValue(credentialsId);
    }

    /**
     * A chosen credential exists for the job and has the right type; {@code variable} is the environment-variable
     * option for the same secret, which may not be given beside it.
     */
    static FormValidation check(Item item, String value, Class<? extends StandardCredentials> type, String typeName,
                                String variable, String variableOption) {
        if (!Validation.allowed(item) || !mayList(item) || !given(value)) {
            return FormValidation.ok();
        }
        if (given(variable)) {
            return FormValidation.error("Give credentials or " + variableOption + ", not both");
        }
        String id = value.strip();
        if (id.startsWith("${") && id.endsWith("}")) {
            return FormValidation.warning("Cannot validate expression based credentials");
        }
        if (CredentialsProvider.listCredentialsInItem(type, item, authentication(item), List.of(),
                CredentialsMatchers.withId(id)).isEmpty()) {
            return FormValidation.error("No " + typeName + " credential with id " + id + " that this job may use");
        }
        return FormValidation.ok();
    }

    private static boolean mayList(Item item) {
        if (item == null) {
            return Jenkins.get().hasPermission(Jenkins.ADMINISTER);
        }
        return item.hasPermission(Item.EXTENDED_READ) || item.hasPermission(CredentialsProvider.USE_ITEM);
    }

    /** Whom the job's builds run as, which is whose credentials they can use. */
    private static Authentication authentication(Item item) {
        return item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2;
    }
}
