package io.jenkins.plugins.mysqllifecycle.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium}, headless, for looking at an HTML page as a browser renders it: the DOM after parsing
 * ({@code --dump-dom}), a screenshot, and what the page wrote to its console. Each run gets a new profile directory
 * and none of Chromium's own network traffic (updates, sync, first-run pages), so it works offline and leaves nothing
 * behind. Run as root here, hence {@code --no-sandbox}.
 *
 * <p>Console messages are read from Chromium's log on stderr ({@code --enable-logging=stderr}), where each is one
 * line with {@code :CONSOLE} and the message in quotes: every console.log/error, an uncaught exception ("Uncaught
 * ..."), and a request the page's Content-Security-Policy refused. {@link #consoleMessages} is tested against a page
 * that makes such messages, so that a Chromium that stops logging them fails that test instead of passing every
 * "no console errors" check.
 */
public final class HeadlessChromium {
    private static final String PROGRAM = "chromium";
    private static final long RUN_TIMEOUT_SECONDS = 90;

    private final Path binary;
    private final Path workDirectory;

    private HeadlessChromium(Path binary, Path workDirectory) {
        this.binary = binary;
        this.workDirectory = workDirectory;
    }

    /** What one run printed: stdout (the DOM with --dump-dom) and stderr (the log). */
    public record Output(String stdout, String stderr) {
        /** The page's console messages, one per line of the log that holds one. */
        public List<String> consoleMessages() {
            return stderr.lines().filter(line -> line.contains(":CONSOLE")).toList();
        }
    }

    /**
     * Chromium, installed with apt-get when it is missing and this runs as root (bin/test installs it beforehand).
     * A test is skipped, saying why, only when it cannot be installed.
     */
    public static HeadlessChromium find(Path workDirectory) throws IOException, InterruptedException {
        Path binary = onPath();
        if (binary == null && isRoot() && onPath("apt-get") != null) {
            ProcessBuilder install = new ProcessBuilder("apt-get", "install", "-y", "-qq", "--no-install-recommends",
                    PROGRAM).redirectErrorStream(true).redirectOutput(workDirectory.resolve("apt-get.log").toFile());
            install.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process process = install.start();
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
            }
            binary = onPath();
        }
        assumeTrue(binary != null, "Debian's " + PROGRAM + " is not installed and could not be installed here"
                + " (apt-get install " + PROGRAM + " as root; bin/test does it): the page is not rendered");
        return new HeadlessChromium(binary, workDirectory);
    }

    /** The serialized DOM of {@code page} after Chromium parsed and laid it out. */
    public Output dumpDom(Path page) throws IOException, InterruptedException {
        return run(List.of("--dump-dom"), page);
    }

    /** A PNG of {@code page} in a window of the given size, written to {@code png}. */
    public Output screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        Files.deleteIfExists(png);
        Output output = run(List.of("--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height,
                "--hide-scrollbars"), page);
        if (!Files.isRegularFile(png)) {
            throw new AssertionError("chromium wrote no screenshot to " + png + "; its log:\n" + output.stderr());
        }
        return output;
    }

    private Output run(List<String> action, Path page) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(workDirectory, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0"));
        command.addAll(action);
        command.add(page.toAbsolutePath().toUri().toString());
        Path stdout = Files.createTempFile(workDirectory, "chromium", ".out");
        Path stderr = Files.createTempFile(workDirectory, "chromium", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        try {
            if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("chromium did not finish within " + RUN_TIMEOUT_SECONDS + " s: "
                        + String.join(" ", command));
            }
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor();
        }
        Output output = new Output(Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
        if (process.exitValue() != 0) {
            throw new AssertionError("chromium exited " + process.exitValue() + ": " + String.join(" ", command)
                    + "\n" + output.stderr());
        }
        return output;
    }

    private static Path onPath() {
        Path found = onPath(PROGRAM);
        return found != null ? found : Files.isExecutable(Path.of("/usr/bin", PROGRAM)) ? Path.of("/usr/bin", PROGRAM)
                : null;
    }

    private static Path onPath(String program) {
        String path = System.getenv("PATH");
        for (String directory : (path == null ? "/usr/bin:/bin" : path).split(":")) {
            Path candidate = Path.of(directory.isEmpty() ? "." : directory, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
