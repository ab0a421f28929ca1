package io.jenkins.plugins.mysqllifecycle.engine.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The CLI works in UTF-8 whatever the caller's locale. A JVM started in the C locale (cron, bare containers: LANG=C,
 * no LC_*) decodes its arguments as ASCII, cannot name a file with a non-ASCII path, and hands its children ASCII
 * arguments, so a database {@code café} became {@code caf?}; {@code -Dsun.jnu.encoding} does not change that on Java
 * 17. The only remedy is a UTF-8 locale when the JVM starts: bin/mysql-lifecycle sets one, and a JVM started without
 * one (java -jar in the C locale) runs the CLI again in a JVM of its own under {@code LC_ALL=C.UTF-8}, its arguments
 * taken byte for byte from /proc/self/cmdline and passed hex-encoded, so that no step decodes them as ASCII.
 */
final class Utf8Locale {
    /** Set in the relaunched JVM: it never relaunches again, even if C.UTF-8 is missing there. */
    static final String RELAUNCHED = "MYSQL_LIFECYCLE_UTF8_RELAUNCHED";
    /** The first argument of a relaunched CLI: each argument after it is the hex of its UTF-8 bytes. */
    static final String HEX_ARGUMENTS = "--utf8-hex-arguments";
    private static final String UTF8_LOCALE = "C.UTF-8";

    private Utf8Locale() {
    }

    /** Whether this JVM decodes arguments and file names as UTF-8. */
    static boolean isUtf8() {
        String encoding = System.getProperty("sun.jnu.encoding", "");
        return encoding.equalsIgnoreCase("UTF-8") || encoding.equalsIgnoreCase("UTF8");
    }

    /**
     * The exit code of the CLI run again under a UTF-8 locale; empty when this JVM is fine as it is (or cannot do
     * better: no /proc, or a relaunch already).
     */
    static Optional<Integer> relaunchIfNeeded(String[] args) {
        if (isUtf8() || System.getenv(RELAUNCHED) != null) {
            return Optional.empty();
        }
        List<byte[]> raw = rawArguments(args.length);
        if (raw == null) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Cli.class.getName(), HEX_ARGUMENTS));
        for (byte[] argument : raw) {
            command.add(HexFormat.of().formatHex(argument));
        }
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put("LC_ALL", UTF8_LOCALE);
        builder.environment().put(RELAUNCHED, "1");
        try {
            Process cli = builder.start();
            // a caller that ends this JVM (a timeout, a stopped build) ends the CLI it runs as well
            Thread stop = new Thread(() -> {
                cli.destroy();
                try {
                    cli.waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Runtime.getRuntime().addShutdownHook(stop);
            int exit = cli.waitFor();
            Runtime.getRuntime().removeShutdownHook(stop);
            return Optional.of(exit);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of(Cli.FAILED);
        }
    }

    /** The last {@code count} entries of this process's argv, as bytes: the program's arguments; null without /proc. */
    private static List<byte[]> rawArguments(int count) {
        byte[] cmdline;
        try {
            cmdline = Files.readAllBytes(Path.of("/proc/self/cmdline"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        List<byte[]> all = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                byte[] argument = new byte[i - start];
                System.arraycopy(cmdline, start, argument, 0, argument.length);
                all.add(argument);
                start = i + 1;
            }
        }
        return all.size() < count ? null : all.subList(all.size() - count, all.size());
    }

    /** The arguments of a relaunched CLI, decoded; {@code args} as they are otherwise. */
    static String[] decode(String[] args) {
        if (args.length == 0 || !args[0].equals(HEX_ARGUMENTS)) {
            return args;
        }
        String[] decoded = new String[args.length - 1];
        for (int i = 1; i < args.length; i++) {
            decoded[i - 1] = new String(HexFormat.of().parseHex(args[i]), StandardCharsets.UTF_8);
        }
        return decoded;
    }
}
