package io.jenkins.plugins.mysqllifecycle.engine.retention;

import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.DumpSpec;
import io.jenkins.plugins.mysqllifecycle.engine.format.DamagedDumpException;
import io.jenkins.plugins.mysqllifecycle.engine.format.DirectoryMetadata;
import io.jenkins.plugins.mysqllifecycle.engine.format.DumpNames;
import io.jenkins.plugins.mysqllifecycle.engine.format.Manifest;
import io.jenkins.plugins.mysqllifecycle.engine.format.Sha256;
import io.jenkins.plugins.mysqllifecycle.engine.util.Bytes;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Dump retention ({@code keep: N}, {@code --keep N}): after a dump was written, keeps the newest N dumps of the same
 * databases in its directory, the new one included, and removes the older ones. It only ever removes what this tool
 * wrote and can still verify byte for byte.
 *
 * <ul>
 * <li><b>A dump</b> is FILE with its manifest FILE.json beside it, whose {@code "file"} is FILE. Its
 * {@code "format"} is {@code "file"} (or absent: a single file whose SHA-256 is the manifest's {@code sha256}) or
 * {@code "directory"} (a directory FILE/ whose {@code metadata.json} has the manifest's {@code sha256} and lists every
 * file of the dump, with its size and SHA-256, as {@code "files": [{"file", "bytes", "sha256"}]}).</li>
 * <li><b>The same source</b>: the manifest's {@code databases} are the same set as the new dump's; {@code "all"}
 * matches only {@code "all"}. The format may differ.</li>
 * <li><b>Newest</b> by the manifest's {@code startedAt}. The dump just written is always kept and is the first of
 * the N, whatever the clocks said.</li>
 * <li><b>Counted among the N</b> are only dumps that are there as their manifest describes them: a regular file of
 * the recorded size, or a directory whose metadata.json matches and whose files are exactly the listed ones with their
 * sizes. This quick check reads no dump; a dump that fails it is left alone with a warning and not counted, so a
 * damaged dump never costs a good one its place.</li>
 * <li><b>Removed</b> is a dump beyond the newest N only after every byte was checked against its manifest (the
 * file's SHA-256; or metadata.json's and every listed file's). One that does not match, or has files its
 * metadata.json does not list, is left alone with a warning naming it and why.</li>
 * <li><b>Never touched</b>: anything without a parseable manifest; a manifest, dump, or entry inside a directory
 * dump that is a symbolic link; a manifest naming another file (names with {@code /} or {@code ..} included);
 * {@code .partial} files; anything outside the dump's directory; the dump just written.</li>
 * <li><b>Order of removal</b>: the dump first, its manifest last. An interruption in between leaves a manifest
 * without a dump, which retention then warns about and never counts; the other order could leave a dump without a
 * manifest, which nothing could tell from a file someone else put there, so retention would never clean it up and a
 * person might take it for a checked dump. In a directory dump metadata.json goes first, so that a directory whose
 * removal was interrupted no longer looks like a complete dump; then the listed files, then the directories (only
 * when empty: one that holds anything else stays, with a warning), then the manifest.</li>
 * </ul>
 * Retention never fails the dump it follows: the new dump is complete before it runs. A problem (a directory it
 * cannot list, a file it cannot remove) is a warning in the log, and the dump's result lists what was removed.
 */
public final class Retention {
    private static final Comparator<Older> NEWEST_FIRST = Comparator.comparing(Older::startedAt)
            .thenComparing(Older::file).reversed();

    private final Log log;

    public Retention(Log log) {
        this.log = log;
    }

    /**
     * Applies {@code keep} after {@code written}: the same result with {@link DumpResult#removed()} set. With
     * {@link DumpSpec#KEEP_ALL} nothing is read or removed.
     *
     * @throws InterruptedException when interrupted while checking an older dump; the new dump stays as it is
     */
    public DumpResult apply(DumpResult written, int keep) throws InterruptedException {
        if (keep == DumpSpec.KEEP_ALL) {
            return written;
        }
        return written.withRemoved(prune(Path.of(written.manifest()), keep));
    }

    /**
     * Removes the dumps beyond the newest {@code keep} of the same databases as the dump whose manifest is
     * {@code newManifest}, in that manifest's directory.
     *
     * @param keep at least 1; the new dump is one of them
     * @return the names ({@code "file"} of their manifests) of the dumps removed, newest first
     * @throws InterruptedException when interrupted (checked before each older dump, and while one is read); no
     *                              dump is half-removed then
     */
    public List<String> prune(Path newManifest, int keep) throws InterruptedException {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, not " + keep);
        }
        Path manifestPath = newManifest.toAbsolutePath().normalize();
        Path directory = manifestPath.getParent();
        Manifest fresh;
        try {
            fresh = Manifest.read(manifestPath);
        } catch (DamagedDumpException e) {
            log.warn("keep " + keep + ": nothing was removed, since the new dump's manifest " + manifestPath
                    + " cannot be used: " + e.problem());
            return List.of();
        } catch (IOException e) {
            log.warn("keep " + keep + ": nothing was removed, since the new dump's manifest " + manifestPath
                    + " cannot be read: " + describe(e));
            return List.of();
        }
        String prefix = "keep " + keep + " (" + fresh.databases() + "): ";
        List<Older> older = new ArrayList<>();
        List<String> leftAlone = new ArrayList<>();
        List<Path> manifests;
        try {
            manifests = manifestsIn(directory);
        } catch (IOException e) {
            log.warn(prefix + "nothing was removed: cannot list " + directory + ": " + describe(e));
            return List.of();
        }
        for (Path entry : manifests) {
            Older found = sameSource(entry, fresh, prefix, leftAlone);
            if (found != null) {
                older.add(found);
            }
        }
        older.sort(NEWEST_FIRST);

        List<String> kept = new ArrayList<>(List.of(fresh.file()));
        List<String> removed = new ArrayList<>();
        for (Older dump : older) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted before checking " + dump.dump() + "; removed so far: "
                        + removed);
            }
            Contents contents;
            try {
                contents = dump.verify(false);
                if (kept.size() < keep) {
                    kept.add(dump.file());
                    continue;
                }
                contents = dump.verify(true);
            } catch (NotVerified e) {
                leftAlone(prefix, dump.dump(), e, leftAlone);
                continue;
            }
            if (remove(dump, contents, prefix)) {
                removed.add(dump.file());
            } else {
                leftAlone.add(dump.file());
            }
        }
        log.info(prefix + "in " + directory + " " + kept.size() + (kept.size() == 1 ? " dump is" : " dumps are")
                + " kept (" + String.join(", ", kept) + "), " + removed.size() + " removed"
                + (removed.isEmpty() ? "" : " (" + String.join(", ", removed) + ")")
                + (leftAlone.isEmpty() ? "" : ", " + leftAlone.size() + " left alone (" + String.join(", ", leftAlone)
                + "; see the warnings above)"));
        return removed;
    }

    /**
     * What may be the manifests of dumps in {@code directory}: every FILE.json there, but those of a
     * {@code .partial} (a manifest or dump still being written), sorted by name. None of them is read yet.
     *
     * @throws IOException when the directory cannot be listed
     */
    public static List<Path> manifestsIn(Path directory) throws IOException {
        List<Path> manifests = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*" + DumpNames.MANIFEST_SUFFIX)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                String dumpName = name.substring(0, name.length() - DumpNames.MANIFEST_SUFFIX.length());
                if (!dumpName.isEmpty() && !dumpName.endsWith(DumpNames.PARTIAL_SUFFIX)) {
                    manifests.add(entry);
                }
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause();
        }
        manifests.sort(Comparator.naturalOrder());
        return manifests;
    }

    /**
     * Whether the dump {@code manifest} describes is there as it describes it, by the quick check that decides
     * whether retention counts it (types, names and sizes; no byte of the dump is read): null when it is, else why
     * not, as a clause about the dump ("it is missing ...", "it has 10 bytes, but its manifest says 12 ...").
     */
    public static String problemOf(Manifest manifest) throws InterruptedException {
        try {
            new Older(manifest).verify(false);
            return null;
        } catch (NotVerified e) {
            return e.getMessage();
        }
    }

    private void leftAlone(String prefix, Path dump, NotVerified reason, List<String> leftAlone) {
        leftAlone.add(dump.getFileName().toString());
        log.warn(prefix + "left " + dump + " alone: " + reason.getMessage() + ". Retention neither counts nor"
                + " removes it; check it and remove it by hand if it is not needed.");
    }

    /** The manifest at {@code entry} when it is an older dump of the new dump's databases; null otherwise. */
    private Older sameSource(Path entry, Manifest fresh, String prefix, List<String> leftAlone)
            throws InterruptedException {
        String name = entry.getFileName().toString();
        String dumpName = name.substring(0, name.length() - DumpNames.MANIFEST_SUFFIX.length());
        if (name.equals(fresh.path().getFileName().toString())) {
            return null;
        }
        try {
            Manifest manifest = Manifest.read(entry);
            return manifest.databases().equals(fresh.databases()) ? new Older(manifest) : null;
        } catch (DamagedDumpException | IOException e) {
            // Only a .json beside something of its name looks like a manifest: other JSON files are none of ours,
            // and neither is a dump that says it holds other databases.
            Manifest.Databases claimed = Manifest.claimedDatabases(entry);
            if ((claimed == null || claimed.equals(fresh.databases()))
                    && Files.exists(entry.resolveSibling(dumpName), LinkOption.NOFOLLOW_LINKS)) {
                leftAlone(prefix, entry.resolveSibling(dumpName), new NotVerified(e instanceof DamagedDumpException
                        damaged ? damaged.problem() : "its manifest cannot be read: " + describe(e)), leftAlone);
            }
            return null;
        }
    }

    /** Removes a verified dump, then its manifest; false (with a warning) when the dump could not be removed. */
    private boolean remove(Older dump, Contents contents, String prefix) {
        for (int i = 0; i < contents.files().size(); i++) {
            Path file = contents.files().get(i);
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn(prefix + "could not remove " + file + ": " + describe(e) + (i == 0
                        ? "; " + dump.dump() + " is left as it was"
                        : "; " + dump.dump() + " is only partly removed and no longer a complete dump: remove the"
                        + " rest and " + dump.manifestPath() + " by hand"));
                return false;
            }
        }
        for (Path emptied : contents.directories()) {
            try {
                Files.deleteIfExists(emptied);
            } catch (DirectoryNotEmptyException e) {
                log.warn(prefix + "left the directory " + emptied + " in place: it holds files that are not part of"
                        + " the dump " + dump.file() + " (put there while it was being removed)");
            } catch (IOException e) {
                log.warn(prefix + "could not remove the directory " + emptied + ": " + describe(e));
            }
        }
        try {
            Files.deleteIfExists(dump.manifestPath());
            log.info(prefix + "removed " + dump.describe(contents) + " and its manifest");
        } catch (IOException e) {
            log.warn(prefix + "removed " + dump.describe(contents) + " but not its manifest " + dump.manifestPath()
                    + ": " + describe(e) + "; remove it by hand");
        }
        return true;
    }

    /**
     * What a verified dump consists of, in the order of removal: files (metadata.json first, for a directory dump),
     * then directories, deepest first.
     */
    private record Contents(List<Path> files, List<Path> directories, long bytes) {
    }

    /** Why a dump is left alone; its message is a clause for the log ("its SHA-256 ... differs ..."). */
    private static final class NotVerified extends Exception {
        private static final long serialVersionUID = 1L;

        NotVerified(String message) {
            super(message, null, false, false);
        }
    }

    /** An older dump, by its manifest, that retention may count or remove. */
    private record Older(Manifest manifest) {
        String file() {
            return manifest.file();
        }

        Instant startedAt() {
            return manifest.startedAt();
        }

        Path manifestPath() {
            return manifest.path();
        }

        Path dump() {
            return manifest.dump();
        }

        String describe(Contents contents) {
            return (manifest.directory() ? "the directory dump " + file() + "/ (" + (contents.files().size() - 1)
                    + " files, " : file() + " (") + Bytes.describe(contents.bytes()) + ", started " + startedAt() + ")";
        }

        /**
         * Checks the dump against this manifest: quickly (types, names and sizes), or fully (every byte's SHA-256
         * too), and returns what it consists of.
         */
        Contents verify(boolean full) throws NotVerified, InterruptedException {
            BasicFileAttributes attributes = attributes(dump(), "it");
            if (attributes.isSymbolicLink()) {
                throw new NotVerified("it is a symbolic link");
            }
            boolean directory = manifest.directory();
            if (directory != attributes.isDirectory() || !(attributes.isDirectory() || attributes.isRegularFile())) {
                throw new NotVerified("it is " + (attributes.isDirectory() ? "a directory"
                        : attributes.isRegularFile() ? "a file" : "neither a file nor a directory") + ", but its"
                        + " manifest describes a " + (directory ? "directory" : "file") + " dump");
            }
            return directory ? verifyDirectory(full) : verifyFile(attributes, full);
        }

        private Contents verifyFile(BasicFileAttributes attributes, boolean full)
                throws NotVerified, InterruptedException {
            long bytes = manifest.bytes();
            if (bytes >= 0 && attributes.size() != bytes) {
                throw new NotVerified("it has " + attributes.size() + " bytes, but its manifest says " + bytes
                        + " (it changed after it was written)");
            }
            if (full) {
                String actual = hashFile(dump(), "it");
                if (!actual.equals(manifest.sha256())) {
                    throw new NotVerified("its SHA-256 " + actual + " differs from its manifest's "
                            + manifest.sha256() + " (it changed after it was written)");
                }
            }
            return new Contents(List.of(dump()), List.of(), attributes.size());
        }

        private Contents verifyDirectory(boolean full) throws NotVerified, InterruptedException {
            Path root = dump();
            Path metadataFile = root.resolve(DumpNames.METADATA);
            Map<String, DirectoryMetadata.Listed> listed;
            byte[] metadata;
            try {
                metadata = DirectoryMetadata.readBytes(root);
                if (!Sha256.of(metadata).equals(manifest.sha256())) {
                    throw new NotVerified("its " + DumpNames.METADATA + " does not have the SHA-256 its manifest"
                            + " records (it changed after it was written)");
                }
                listed = DirectoryMetadata.listedFiles(root, metadata);
            } catch (DamagedDumpException e) {
                throw new NotVerified(e.problem());
            } catch (IOException e) {
                throw new NotVerified("its " + DumpNames.METADATA + " cannot be read: " + Retention.describe(e));
            }
            Walk walk = new Walk(root, metadataFile, listed.keySet());
            try {
                Files.walkFileTree(root, walk);
            } catch (IOException e) {
                throw new NotVerified("it cannot be read completely: " + Retention.describe(e));
            }
            if (walk.problem != null) {
                throw new NotVerified(walk.problem);
            }
            List<Path> files = new ArrayList<>(List.of(metadataFile));
            long total = metadata.length;
            for (DirectoryMetadata.Listed entry : listed.values()) {
                Long size = walk.sizes.get(entry.file());
                if (size == null) {
                    throw new NotVerified(entry.file() + ", which its " + DumpNames.METADATA + " lists, is missing");
                }
                if (size != entry.bytes()) {
                    throw new NotVerified(entry.file() + " has " + size + " bytes, but its " + DumpNames.METADATA
                            + " says " + entry.bytes() + " (it changed after it was written)");
                }
                files.add(root.resolve(entry.file()));
                total += size;
            }
            if (full) {
                for (DirectoryMetadata.Listed entry : listed.values()) {
                    String actual = hashFile(root.resolve(entry.file()), entry.file());
                    if (!actual.equals(entry.sha256())) {
                        throw new NotVerified("the SHA-256 of " + entry.file() + " differs from the one its "
                                + DumpNames.METADATA + " records (it changed after it was written)");
                    }
                }
            }
            List<Path> directories = new ArrayList<>(walk.directories);
            Collections.reverse(directories); // visited parents first: removed children first
            directories.add(root);
            return new Contents(files, directories, total);
        }
    }

    /**
     * Everything inside a directory dump, links not followed: each regular file must be metadata.json or listed;
     * a link or any other kind of entry makes the dump one to leave alone.
     */
    private static final class Walk extends SimpleFileVisitor<Path> {
        private final Path root;
        private final Path metadataFile;
        private final Set<String> listed;
        final Map<String, Long> sizes = new LinkedHashMap<>();
        final List<Path> directories = new ArrayList<>();
        String problem;

        Walk(Path root, Path metadataFile, Set<String> listed) {
            this.root = root;
            this.metadataFile = metadataFile;
            this.listed = listed;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) {
            if (!directory.equals(root)) {
                directories.add(directory);
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            if (file.equals(metadataFile)) {
                return FileVisitResult.CONTINUE;
            }
            String relative = root.relativize(file).toString();
            if (attributes.isSymbolicLink()) {
                problem = "it holds the symbolic link " + relative;
            } else if (!attributes.isRegularFile()) {
                problem = "it holds " + relative + ", which is not a regular file";
            } else if (!listed.contains(relative)) {
                problem = "it holds " + relative + ", which its " + DumpNames.METADATA + " does not list";
            } else {
                sizes.put(relative, attributes.size());
                return FileVisitResult.CONTINUE;
            }
            return FileVisitResult.TERMINATE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            throw e;
        }
    }

    private static BasicFileAttributes attributes(Path path, String what) throws NotVerified {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new NotVerified(what + " is missing (only its manifest is left, as after an interrupted removal)");
        } catch (IOException e) {
            throw new NotVerified(what + " cannot be read: " + describe(e));
        }
    }

    /** The SHA-256 of a file, read without following a link, in hex. */
    private static String hashFile(Path file, String what) throws NotVerified, InterruptedException {
        try {
            return Sha256.ofFile(file);
        } catch (IOException e) {
            throw new NotVerified(what + " cannot be read: " + describe(e));
        }
    }

    private static String describe(Exception e) {
        Throwable cause = e instanceof DirectoryIteratorException ? e.getCause() : e;
        if (cause instanceof NoSuchFileException) {
            return "no such file or directory: " + cause.getMessage();
        }
        if (cause instanceof AccessDeniedException) {
            return "permission denied: " + cause.getMessage();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }
}
