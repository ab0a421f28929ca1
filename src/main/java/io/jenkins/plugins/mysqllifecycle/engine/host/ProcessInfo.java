package io.jenkins.plugins.mysqllifecycle.engine.host;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code /proc/PID} says about a process, enough to decide whether it is the server we mean.
 *
 * @param startTicks start time in clock ticks since boot ({@code /proc/PID/stat} field 22): with the pid, it names
 *                   one process for the life of the machine, so a recycled pid is never mistaken for the server
 * @param state      the one-letter state; {@code Z} is a process that has exited but was not reaped yet
 * @param executable the program the process runs ({@code /proc/PID/exe}); null when it cannot be read (another
 *                   user's process for an engine that is not root, or one that has exited)
 */
public record ProcessInfo(long pid, long startTicks, char state, String comm, List<String> commandLine,
                          String executable) implements Serializable {

    private static final Set<String> SERVER_NAMES = Set.of("mysqld", "mariadbd");

    public boolean hasExited() {
        return state == 'Z' || state == 'X';
    }

    /**
     * True for mysqld/mariadbd, judged by the executable the process runs. Never by argv[0], which any program can
     * set ({@code exec -a mysqld sleep}); when the executable cannot be read, by the name the kernel gave the
     * process when it started that executable.
     */
    public boolean isMysqlServer() {
        if (executable != null) {
            return SERVER_NAMES.contains(baseName(executable));
        }
        return SERVER_NAMES.contains(comm);
    }

    /** The value of {@code --name=value} on the command line, if given in that form. */
    public Optional<String> option(String name) {
        String prefix = name + "=";
        for (String argument : commandLine) {
            if (argument.startsWith(prefix)) {
                return Optional.of(argument.substring(prefix.length()));
            }
        }
        return Optional.empty();
    }

    public String describe() {
        return "pid " + pid + " (" + String.join(" ", commandLine.isEmpty() ? List.of(comm) : commandLine) + ")";
    }

    /**
     * Parses {@code /proc/PID/stat} and {@code /proc/PID/cmdline}. The name in stat sits in parentheses and may
     * itself hold spaces and parentheses, so fields are counted from the last ')'.
     */
    public static ProcessInfo parse(long pid, String stat, byte[] cmdline) {
        return parse(pid, stat, cmdline, null);
    }

    /**
     * As {@link #parse(long, String, byte[])}, with the target of {@code /proc/PID/exe} (null or empty when it
     * cannot be read; " (deleted)" after it, for a program replaced while it runs, is dropped).
     */
    public static ProcessInfo parse(long pid, String stat, byte[] cmdline, String exe) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("unreadable /proc/" + pid + "/stat: " + stat);
        }
        String comm = stat.substring(open + 1, close);
        String[] fields = stat.substring(close + 2).trim().split(" ");
        char state = fields[0].charAt(0);
        long startTicks = Long.parseLong(fields[19]);
        String executable = exe == null || exe.isEmpty() ? null : exe.endsWith(" (deleted)")
                ? exe.substring(0, exe.length() - " (deleted)".length()) : exe;
        return new ProcessInfo(pid, startTicks, state, comm, splitNulTerminated(cmdline), executable);
    }

    private static List<String> splitNulTerminated(byte[] bytes) {
        if (bytes.length == 0) {
            return List.of();
        }
        String all = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        if (all.endsWith("\0")) {
            all = all.substring(0, all.length() - 1);
        }
        return List.of(all.split("\0", -1));
    }

    public static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
