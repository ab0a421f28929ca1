package io.jenkins.plugins.mysqllifecycle.testing;

import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.Password;
import io.jenkins.plugins.mysqllifecycle.engine.Signal;
import io.jenkins.plugins.mysqllifecycle.engine.SshTarget;
import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.util.Deadline;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test machines reached over SSH: each a network namespace of its own (made here with ip netns and a veth pair, with
 * addresses in a 10.213.x.0/24 of this test JVM, on the veth pairs only) running its own sshd. Without
 * the rights to make namespaces, each host is an sshd on a loopback port instead, and the output says so.
 * Namespaces separate only the network: the hosts share this machine's files and processes.
 */
public final class SshTestHosts implements AutoCloseable {
    public static final String KEY_PASSPHRASE = "key-passphrase-Zq8";

    /** One /24 per test JVM, so that two runs on one machine do not clash. */
    private static final String SUBNET = "10.213." + (20 + ProcessHandle.current().pid() % 200) + ".";

    public final Path directory;
    public final Path clientKey;
    public final Path knownHosts;
    public final List<TestHost> hosts = new ArrayList<>();
    public final boolean namespaces;
    private final String tag;

    /** One machine: its address and port as the client sees them, its sshd, its host key. */
    public record TestHost(String name, String address, int port, Process sshd, Path hostKey, String netns) {
        public String destination() {
            return "root@" + address + ":" + port;
        }
    }

    private SshTestHosts(Path directory, boolean namespaces) throws Exception {
        this.directory = directory;
        this.namespaces = namespaces;
        this.tag = Long.toString(ProcessHandle.current().pid(), 36);
        this.clientKey = directory.resolve("client_ed25519");
        this.knownHosts = directory.resolve("known_hosts");
        sh("ssh-keygen", "-q", "-t", "ed25519", "-N", KEY_PASSPHRASE, "-C", "mysql-lifecycle-test", "-f",
                clientKey.toString());
        Files.createDirectories(Path.of("/run/sshd"));
        // only root may log in with the client key
        Files.copy(Path.of(clientKey + ".pub"), directory.resolve("authorized_keys_root"));
    }

    /** {@code count} hosts, each with sshd and an entry in {@link #knownHosts}. */
    public static SshTestHosts start(Path directory, int count) throws Exception {
        boolean namespaces = canMakeNamespaces();
        if (!namespaces) {
            System.out.println("SshTestHosts: cannot create network namespaces here (not root, or no ip netns);"
                    + " the SSH hosts are sshd instances on loopback ports instead");
        }
        if (namespaces) {
            removeLeftovers();
        }
        SshTestHosts hosts = new SshTestHosts(directory, namespaces);
        try {
            for (int i = 0; i < count; i++) {
                hosts.add(i);
            }
            return hosts;
        } catch (Exception | Error e) {
            hosts.close();
            throw e;
        }
    }

    /**
     * Namespaces and links left by an earlier test JVM that died before cleaning up: named mlt/mlo + that JVM's pid
     * in base 36, so only this class's own, and only those whose JVM is gone. A process left inside keeps a deleted
     * namespace and its veth alive, and with it a clashing address.
     */
    private static void removeLeftovers() throws Exception {
        for (String line : sh("ip", "netns", "list").split("\n")) {
            String name = line.split(" ")[0];
            if (name.startsWith("mlt") && ownerIsGone(name)) {
                killInside(name);
                sh("ip", "netns", "del", name);
            }
        }
        for (String line : sh("ip", "-o", "link", "show").split("\n")) {
            String[] fields = line.split(":\\s+");
            String link = fields.length > 1 ? fields[1].split("@")[0] : "";
            if (link.startsWith("mlo") && ownerIsGone(link)) {
                sh("ip", "link", "del", link);
            }
        }
    }

    private static boolean ownerIsGone(String name) {
        try {
            long pid = Long.parseLong(name.substring(3, name.lastIndexOf('h')), 36);
            return ProcessHandle.of(pid).map(process -> !process.isAlive()).orElse(true);
        } catch (NumberFormatException | StringIndexOutOfBoundsException notOurs) {
            return false;
        }
    }

    private static void killInside(String netns) throws Exception {
        for (String pid : sh("ip", "netns", "pids", netns).split("\\s+")) {
            if (!pid.isBlank()) {
                new LocalHost().signal(Long.parseLong(pid.strip()), Signal.SIGKILL);
            }
        }
    }

    private static boolean canMakeNamespaces() {
        try {
            return new LocalHost().isRoot() && new ProcessBuilder("ip", "netns", "list").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private void add(int index) throws Exception {
        String name = "h" + index;
        Path hostKey = directory.resolve("ssh_host_" + name);
        sh("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString());
        String netns = null;
        String address;
        int port;
        if (namespaces) {
            netns = "mlt" + tag + name;
            String outside = "mlo" + tag + name;
            String inside = "mli" + tag + name;
            String hostAddress = SUBNET + (10 + 2 * index);
            String peerAddress = SUBNET + (11 + 2 * index);
            sh("ip", "netns", "add", netns);
            sh("ip", "link", "add", outside, "type", "veth", "peer", "name", inside);
            sh("ip", "link", "set", inside, "netns", netns);
            sh("ip", "addr", "add", peerAddress + "/31", "dev", outside);
            sh("ip", "link", "set", outside, "up");
            sh("ip", "netns", "exec", netns, "ip", "addr", "add", hostAddress + "/31", "dev", inside);
            sh("ip", "netns", "exec", netns, "ip", "link", "set", inside, "up");
            sh("ip", "netns", "exec", netns, "ip", "link", "set", "lo", "up");
            address = hostAddress;
            port = 22;
        } else {
            address = "127.0.0.1";
            port = new LocalHost().freePort("127.0.0.1");
        }
        Path config = directory.resolve("sshd_config_" + name);
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress " + address,
                "HostKey " + hostKey,
                "PidFile " + directory.resolve("sshd_" + name + ".pid"),
                "AuthorizedKeysFile " + directory.resolve("authorized_keys_%u"),
                "StrictModes no",
                "PermitRootLogin prohibit-password",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "") , StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>();
        if (netns != null) {
            command.addAll(List.of("ip", "netns", "exec", netns));
        }
        command.addAll(List.of("/usr/sbin/sshd", "-D", "-f", config.toString(), "-E",
                directory.resolve("sshd_" + name + ".log").toString()));
        Process sshd = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(directory.resolve("sshd_" + name + ".out").toFile()).start();
        TestHost host = new TestHost(name, address, port, sshd, hostKey, netns);
        hosts.add(host);
        awaitListening(host);
        String known = (port == 22 ? address : "[" + address + "]:" + port) + " "
                + Files.readString(Path.of(hostKey + ".pub")).strip();
        Files.writeString(knownHosts, known + "\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    private static void awaitListening(TestHost host) throws Exception {
        Deadline deadline = Deadline.after(Duration.ofSeconds(20));
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host.address(), host.port()), 200);
                return;
            } catch (IOException notYet) {
                if (deadline.hasExpired() || !host.sshd().isAlive()) {
                    throw new IllegalStateException("sshd of " + host.name() + " does not listen on "
                            + host.address() + ":" + host.port(), notYet);
                }
                Thread.sleep(10);
            }
        }
    }

    /**
     * A new client key of {@code type} (ed25519, rsa) that root on every host accepts, with {@code passphrase} (empty
     * for none): its private key file.
     */
    public Path authorizedKey(String type, String passphrase) throws Exception {
        Path key = directory.resolve("client_" + type + "_" + (passphrase.isEmpty() ? "plain" : "locked") + "_"
                + System.nanoTime());
        sh("ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", "mysql-lifecycle-test", "-f", key.toString());
        Files.writeString(directory.resolve("authorized_keys_root"), Files.readString(Path.of(key + ".pub")),
                java.nio.file.StandardOpenOption.APPEND);
        return key;
    }

    public SshTarget target(TestHost host) throws InvalidSpecException {
        return SshTarget.of(host.destination(), clientKey.toString(), Password.of(KEY_PASSPHRASE), null,
                knownHosts.toString(), SshTarget.HostKeyCheck.STRICT);
    }

    /** Runs {@code command} inside the host's namespace (or plainly, on loopback hosts). */
    public static List<String> inside(TestHost host, String... command) {
        List<String> full = new ArrayList<>();
        if (host.netns() != null) {
            full.addAll(List.of("ip", "netns", "exec", host.netns()));
        }
        full.addAll(List.of(command));
        return full;
    }

    public static String sh(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
        return output;
    }

    @Override
    public void close() {
        for (TestHost host : hosts) {
            host.sshd().destroy();
            try {
                host.sshd().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (host.netns() != null) {
                try {
                    killInside(host.netns()); // a server left running would keep the namespace alive
                    sh("ip", "netns", "del", host.netns()); // removes the veth pair with it
                } catch (Exception e) {
                    System.out.println("could not delete netns " + host.netns() + ": " + e.getMessage());
                }
            }
        }
    }
}
