package io.jenkins.plugins.mysqllifecycle.engine.host.ssh;

import io.jenkins.plugins.mysqllifecycle.engine.SshTarget;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.UserInfo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The host-key policy on top of JSch's known_hosts: strict, accept-new or off. It remembers what the server
 * presented, so a refusal can name both fingerprints.
 */
final class KnownHostsCheck implements HostKeyRepository {
    private final HostKeyRepository knownHosts;
    private final String file;
    private final SshTarget.HostKeyCheck mode;
    private final Log log;
    private volatile byte[] presentedKey;
    private volatile String checkedHost;

    KnownHostsCheck(HostKeyRepository knownHosts, String file, SshTarget.HostKeyCheck mode, Log log) {
        this.knownHosts = knownHosts;
        this.file = file;
        this.mode = mode;
        this.log = log;
    }

    @Override
    public int check(String host, byte[] key) {
        presentedKey = key.clone();
        checkedHost = host;
        int known = knownHosts.check(host, key);
        if (known == OK) {
            return OK;
        }
        if (mode == SshTarget.HostKeyCheck.OFF) {
            log.warn("HOST KEY CHECKING IS OFF for " + host + ": accepting its " + fingerprint(key) + " without"
                    + " checking it against " + file + ". A man in the middle would not be noticed.");
            return OK;
        }
        if (known == NOT_INCLUDED && mode == SshTarget.HostKeyCheck.ACCEPT_NEW) {
            try {
                remember(host, key);
            } catch (IOException e) {
                log.warn("could not add the new host key of " + host + " to " + file + ": " + e.getMessage());
            }
            log.info("added the new host key of " + host + " (" + fingerprint(key) + ") to " + file);
            return OK;
        }
        return known;
    }

    private void remember(String host, byte[] key) throws IOException {
        Path path = Path.of(file);
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        String line = host + " " + keyType(key) + " " + Base64.getEncoder().encodeToString(key) + "\n";
        Files.writeString(path, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** What the server presented last, as OpenSSH prints it: "ssh-ed25519 SHA256:...". */
    String presentedFingerprint() {
        byte[] key = presentedKey;
        return key == null ? "(none received)" : keyType(key) + " " + fingerprint(key);
    }

    /** The fingerprints known_hosts holds for the host last checked. */
    List<String> knownFingerprints() {
        List<String> prints = new ArrayList<>();
        HostKey[] keys = checkedHost == null ? null : knownHosts.getHostKey(checkedHost, null);
        if (keys != null) {
            for (HostKey key : keys) {
                prints.add(key.getType() + " " + fingerprint(Base64.getDecoder().decode(key.getKey())));
            }
        }
        return prints;
    }

    static String fingerprint(byte[] key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** The algorithm name at the start of an SSH public key blob. */
    static String keyType(byte[] key) {
        ByteBuffer blob = ByteBuffer.wrap(key);
        int length = blob.getInt();
        return new String(key, 4, length, StandardCharsets.US_ASCII);
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        knownHosts.add(hostkey, ui);
    }

    @Override
    public void remove(String host, String type) {
        knownHosts.remove(host, type);
    }

    @Override
    public void remove(String host, String type, byte[] key) {
        knownHosts.remove(host, type, key);
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return knownHosts.getKnownHostsRepositoryID();
    }

    @Override
    public HostKey[] getHostKey() {
        return knownHosts.getHostKey();
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        return knownHosts.getHostKey(host, type);
    }
}
