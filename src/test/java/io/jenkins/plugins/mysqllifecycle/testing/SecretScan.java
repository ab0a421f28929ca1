package io.jenkins.plugins.mysqllifecycle.testing;

import io.jenkins.plugins.mysqllifecycle.engine.host.LocalHost;
import io.jenkins.plugins.mysqllifecycle.engine.host.ProcessInfo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * Reads the command line and environment of every process on the machine, again and again while some work runs,
 * and fails on any that holds one of the secrets. Remote hosts in tests share this machine's process table.
 */
public final class SecretScan {
    private SecretScan() {
    }

    /**
     * @param tool a word of the command line of the process the secrets are meant for (the dump tool)
     * @return the option files ({@code --defaults-file}) that tool was given
     */
    public static List<String> whileRunning(Future<?> work, List<String> secrets, String tool) throws Exception {
        List<String> optionFiles = new ArrayList<>();
        int sawTool = 0;
        while (!work.isDone()) {
            for (ProcessInfo process : new LocalHost().processes()) {
                String commandLine = String.join(" ", process.commandLine());
                String environment = readQuietly(Path.of("/proc", Long.toString(process.pid()), "environ"));
                for (String secret : secrets) {
                    assertFalse(commandLine.contains(secret), "a secret on the command line of " + commandLine);
                    assertFalse(environment.contains(secret), "a secret in the environment of " + commandLine);
                }
                if (commandLine.contains(tool)) {
                    sawTool++;
                    java.util.Optional<String> optionFile = process.option("--defaults-file");
                    if (optionFile.isPresent()) {
                        optionFiles.add(optionFile.get());
                        if (!optionFile.get().startsWith("/dev/")) { // a pipe is the tool's own
                            assertPrivate(Path.of(optionFile.get()));
                        }
                    }
                }
            }
        }
        assertTrue(sawTool > 0, "the work ended before the scan saw " + tool + "; nothing was checked");
        return optionFiles;
    }

    /**
     * Neither the group nor others can read it: by its own mode, or because a directory above it lets them not
     * through (a verify's scratch server reads its options from a 0644 file in a 0700 directory).
     */
    private static void assertPrivate(Path file) {
        try {
            assertTrue(closedTo(file, PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_EXECUTE)
                    && closedTo(file, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_EXECUTE),
                    file + " is readable by others");
        } catch (java.nio.file.NoSuchFileException removedMeanwhile) {
            // the tool finished between the two looks
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean closedTo(Path file, PosixFilePermission read, PosixFilePermission traverse)
            throws java.io.IOException {
        if (!Files.getPosixFilePermissions(file, java.nio.file.LinkOption.NOFOLLOW_LINKS).contains(read)) {
            return true;
        }
        for (Path directory = file.toAbsolutePath().getParent(); directory != null; directory = directory.getParent()) {
            if (!Files.getPosixFilePermissions(directory).contains(traverse)) {
                return true;
            }
        }
        return false;
    }

    private static String readQuietly(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (Exception gone) {
            return "";
        }
    }
}
