package io.jenkins.plugins.mysqllifecycle.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
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
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
    static final String METADATA = "metadata.json";
    private static final String MANIFEST_SUFFIX = ".json";
    private static final long MAX_MANIFEST_BYTES = 1L << 20;
    private static final long MAX_METADATA_BYTES = 64L << 20;
    private static final int BUFFER_BYTES = 128 * 1024;
    private static final Comparator<Manifest> NEWEST_FIRST = Comparator.comparing(Manifest::startedAt)
            .thenComparing(Manifest::file).reversed();

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
            fresh = Manifest.of(manifestPath, readJson(manifestPath));
        } catch (NotVerified e) {
            log.warn("keep " + keep + ": nothing was removed, since the new dump's manifest " + manifestPath
                    + " cannot be used: " + e.getMessage());
            return List.of();
        }
        String prefix = "keep " + keep + " (" + fresh.source() + "): ";
        List<Manifest> older = new ArrayList<>();
        List<String> leftAlone = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "*" + MANIFEST_SUFFIX)) {
            for (Path entry : entries) {
                Manifest found = sameSource(entry, fresh, prefix, leftAlone);
                if (found != null) {
                    older.add(found);
                }
            }
        } catch (IOException | DirectoryIteratorException e) {
            log.warn(prefix + "nothing was removed: cannot list " + directory + ": " + describe(e));
            return List.of();
        }
        older.sort(NEWEST_FIRST);

        List<String> kept = new ArrayList<>(List.of(fresh.file()));
        List<String> removed = new ArrayList<>();
        for (Manifest dump : older) {
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

    private void leftAlone(String prefix, Path dump, NotVerified reason, List<String> leftAlone) {
        leftAlone.add(dump.getFileName().toString());
        log.warn(prefix + "left " + dump + " alone: " + reason.getMessage() + ". Retention neither counts nor"
                + " removes it; check it and remove it by hand if it is not needed.");
    }

    /** The manifest at {@code entry} when it is an older dump of the new dump's databases; null otherwise. */
    private Manifest sameSource(Path entry, Manifest fresh, String prefix, List<String> leftAlone)
            throws InterruptedException {
        String name = entry.getFileName().toString();
        String dumpName = name.substring(0, name.length() - MANIFEST_SUFFIX.length());
        if (name.equals(fresh.manifest().getFileName().toString()) || dumpName.isEmpty()
                || dumpName.endsWith(".partial")) {
            return null;
        }
        try {
            Map<String, Object> json = readJson(entry);
            Source source = Source.of(json.get("databases"));
            if (source != null && !source.equals(fresh.source())) {
                return null; // another source's dump: not this retention's to judge
            }
            return Manifest.of(entry, json);
        } catch (NotVerified e) {
            // Only a .json beside something of its name looks like a manifest: other JSON files are none of ours.
            if (Files.exists(entry.resolveSibling(dumpName), LinkOption.NOFOLLOW_LINKS)) {
                leftAlone(prefix, entry.resolveSibling(dumpName), e, leftAlone);
            }
            return null;
        }
    }

    /** Removes a verified dump, then its manifest; false (with a warning) when the dump could not be removed. */
    private boolean remove(Manifest dump, Contents contents, String prefix) {
        for (int i = 0; i < contents.files().size(); i++) {
            Path file = contents.files().get(i);
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                log.warn(prefix + "could not remove " + file + ": " + describe(e) + (i == 0
                        ? "; " + dump.dump() + " is left as it was"
                        : "; " + dump.dump() + " is only partly removed and no longer a complete dump: remove the"
                        + " rest and " + dump.manifest() + " by hand"));
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
            Files.deleteIfExists(dump.manifest());
            log.info(prefix + "removed " + dump.describe(contents) + " and its manifest");
        } catch (IOException e) {
            log.warn(prefix + "removed " + dump.describe(contents) + " but not its manifest " + dump.manifest()
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

    /** The databases a dump holds: all of them, or a set of names. */
    private record Source(boolean all, Set<String> names) {
        /** From a manifest's {@code databases}: "all" or a non-empty list of names; null for anything else. */
        static Source of(Object databases) {
            if ("all".equals(databases)) {
                return new Source(true, Set.of());
            }
            if (!(databases instanceof List<?> list) || list.isEmpty()) {
                return null;
            }
            Set<String> names = new TreeSet<>();
            for (Object item : list) {
                if (!(item instanceof String name) || name.isEmpty()) {
                    return null;
                }
                names.add(name);
            }
            return new Source(false, Collections.unmodifiableSet(names));
        }

        @Override
        public String toString() {
            return all ? "all databases" : String.join(", ", names);
        }
    }

    /**
     * A manifest this tool could have written, for the dump {@link #dump()} beside it.
     *
     * @param bytes the dump file's size, or -1 when the manifest does not say (the SHA-256 still covers it)
     */
    private record Manifest(Path manifest, String file, boolean directory, String sha256, long bytes, Source source,
                            Instant startedAt) {

        static Manifest of(Path manifest, Map<String, Object> json) throws NotVerified {
            String name = manifest.getFileName().toString();
            String expected = name.substring(0, name.length() - MANIFEST_SUFFIX.length());
            Object file = json.get("file");
            if (!(file instanceof String fileName) || !fileName.equals(expected)) {
                throw new NotVerified("its manifest " + name + " does not name it as its \"file\" (it says "
                        + (file == null ? "nothing" : "\"" + file + "\"") + ")");
            }
            if (fileName.contains("/") || fileName.equals(".") || fileName.equals("..") || fileName.contains("\0")
                    || fileName.endsWith(".partial")) {
                throw new NotVerified("its manifest names \"" + fileName + "\", which is not a dump in its"
                        + " directory");
            }
            Object format = json.getOrDefault("format", "file");
            if (!"file".equals(format) && !"directory".equals(format)) {
                throw new NotVerified("its manifest has the format \"" + format + "\", which this version does not"
                        + " know");
            }
            Source source = Source.of(json.get("databases"));
            if (source == null) {
                throw new NotVerified("its manifest has no valid \"databases\" (\"all\" or a list of names)");
            }
            Object startedAt = json.get("startedAt");
            Instant started;
            try {
                started = Instant.parse(String.valueOf(startedAt));
            } catch (DateTimeParseException e) {
                throw new NotVerified("its manifest has no valid \"startedAt\" (it says " + startedAt + ")");
            }
            long bytes = -1;
            if (json.get("bytes") instanceof Number number && number.longValue() >= 0) {
                bytes = number.longValue();
            } else if (json.containsKey("bytes") && "file".equals(format)) {
                throw new NotVerified("its manifest has no valid \"bytes\" (it says " + json.get("bytes") + ")");
            }
            return new Manifest(manifest, fileName, "directory".equals(format), sha256Of(json.get("sha256"),
                    "its manifest"), bytes, source, started);
        }

        Path dump() {
            return manifest.resolveSibling(file);
        }

        String describe(Contents contents) {
            return (directory ? "the directory dump " + file + "/ (" + (contents.files().size() - 1) + " files, "
                    : file + " (") + Bytes.describe(contents.bytes()) + ", started " + startedAt + ")";
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
            if (directory != attributes.isDirectory() || !(attributes.isDirectory() || attributes.isRegularFile())) {
                throw new NotVerified("it is " + (attributes.isDirectory() ? "a directory"
                        : attributes.isRegularFile() ? "a file" : "neither a file nor a directory") + ", but its"
                        + " manifest describes a " + (directory ? "directory" : "file") + " dump");
            }
            return directory ? verifyDirectory(full) : verifyFile(attributes, full);
        }

        private Contents verifyFile(BasicFileAttributes attributes, boolean full)
                throws NotVerified, InterruptedException {
            if (bytes >= 0 && attributes.size() != bytes) {
                throw new NotVerified("it has " + attributes.size() + " bytes, but its manifest says " + bytes
                        + " (it changed after it was written)");
            }
            if (full) {
                String actual = hashFile(dump(), "it");
                if (!actual.equals(sha256)) {
                    throw new NotVerified("its SHA-256 " + actual + " differs from its manifest's " + sha256
                            + " (it changed after it was written)");
                }
            }
            return new Contents(List.of(dump()), List.of(), attributes.size());
        }

        private Contents verifyDirectory(boolean full) throws NotVerified, InterruptedException {
            Path root = dump();
            Path metadataFile = root.resolve(METADATA);
            byte[] metadata = readSmall(metadataFile, MAX_METADATA_BYTES, "its " + METADATA);
            if (!hex(digest().digest(metadata)).equals(sha256)) {
                throw new NotVerified("its " + METADATA + " does not have the SHA-256 its manifest records (it"
                        + " changed after it was written)");
            }
            Map<String, Listed> listed = listedFiles(metadata);
            Walk walk = new Walk(root, metadataFile, listed);
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
            for (Map.Entry<String, Listed> entry : listed.entrySet()) {
                Long size = walk.sizes.get(entry.getKey());
                if (size == null) {
                    throw new NotVerified(entry.getKey() + ", which its " + METADATA + " lists, is missing");
                }
                if (size != entry.getValue().bytes()) {
                    throw new NotVerified(entry.getKey() + " has " + size + " bytes, but its " + METADATA + " says "
                            + entry.getValue().bytes() + " (it changed after it was written)");
                }
                files.add(root.resolve(entry.getKey()));
                total += size;
            }
            if (full) {
                for (Map.Entry<String, Listed> entry : listed.entrySet()) {
                    String actual = hashFile(root.resolve(entry.getKey()), entry.getKey());
                    if (!actual.equals(entry.getValue().sha256())) {
                        throw new NotVerified("the SHA-256 of " + entry.getKey() + " differs from the one its "
                                + METADATA + " records (it changed after it was written)");
                    }
                }
            }
            List<Path> directories = new ArrayList<>(walk.directories);
            Collections.reverse(directories); // visited parents first: removed children first
            directories.add(root);
            return new Contents(files, directories, total);
        }
    }

    /** A file a directory dump's metadata.json lists. */
    private record Listed(long bytes, String sha256) {
    }

    private static Map<String, Listed> listedFiles(byte[] metadata) throws NotVerified {
        Map<String, Object> json;
        try {
            json = Json.parseObject(new String(metadata, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new NotVerified("its " + METADATA + " is not valid JSON: " + e.getMessage());
        }
        if (!(json.get("files") instanceof List<?> files)) {
            throw new NotVerified("its " + METADATA + " has no \"files\" list");
        }
        Map<String, Listed> listed = new LinkedHashMap<>();
        for (Object item : files) {
            if (!(item instanceof Map<?, ?> entry) || !(entry.get("file") instanceof String name)
                    || !(entry.get("bytes") instanceof Number bytes) || bytes.longValue() < 0) {
                throw new NotVerified("its " + METADATA + " has an entry without a \"file\", \"bytes\" and"
                        + " \"sha256\": " + item);
            }
            if (!isPlainRelativePath(name) || name.equals(METADATA)) {
                throw new NotVerified("its " + METADATA + " lists \"" + name + "\", which is not a file inside the"
                        + " dump's directory");
            }
            Listed file = new Listed(bytes.longValue(), sha256Of(entry.get("sha256"), "its " + METADATA
                    + " for " + name));
            if (listed.put(name, file) != null) {
                throw new NotVerified("its " + METADATA + " lists " + name + " twice");
            }
        }
        return listed;
    }

    /** {@code a/b.sql}: relative, no empty, {@code .} or {@code ..} step, no backslash or NUL. */
    private static boolean isPlainRelativePath(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\") || path.contains("\0")) {
            return false;
        }
        for (String step : path.split("/", -1)) {
            if (step.isEmpty() || step.equals(".") || step.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Everything inside a directory dump, links not followed: each regular file must be metadata.json or listed;
     * a link or any other kind of entry makes the dump one to leave alone.
     */
    private static final class Walk extends SimpleFileVisitor<Path> {
        private final Path root;
        private final Path metadataFile;
        private final Map<String, Listed> listed;
        final Map<String, Long> sizes = new LinkedHashMap<>();
        final List<Path> directories = new ArrayList<>();
        String problem;

        Walk(Path root, Path metadataFile, Map<String, Listed> listed) {
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
            } else if (!listed.containsKey(relative)) {
                problem = "it holds " + relative + ", which its " + METADATA + " does not list";
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

    /** A manifest: a regular file (not a link) of at most 1 MiB holding one JSON object. */
    private static Map<String, Object> readJson(Path manifest) throws NotVerified, InterruptedException {
        byte[] content = readSmall(manifest, MAX_MANIFEST_BYTES, "its manifest " + manifest.getFileName());
        try {
            return Json.parseObject(new String(content, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new NotVerified("its manifest " + manifest.getFileName() + " is not valid JSON: " + e.getMessage());
        }
    }

    private static byte[] readSmall(Path file, long maxBytes, String what) throws NotVerified, InterruptedException {
        BasicFileAttributes attributes = attributes(file, what);
        if (attributes.isSymbolicLink()) {
            throw new NotVerified(what + " is a symbolic link");
        }
        if (!attributes.isRegularFile()) {
            throw new NotVerified(what + " is not a regular file");
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] content = in.readNBytes((int) maxBytes + 1);
            if (content.length > maxBytes) {
                throw new NotVerified(what + " is larger than " + Bytes.describe(maxBytes));
            }
            return content;
        } catch (ClosedByInterruptException e) {
            Thread.interrupted();
            throw new InterruptedException("interrupted while reading " + file);
        } catch (IOException e) {
            throw new NotVerified(what + " cannot be read: " + describe(e));
        }
    }

    /** The SHA-256 of a file, read without following a link, in hex. */
    private static String hashFile(Path file, String what) throws NotVerified, InterruptedException {
        MessageDigest digest = digest();
        try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ,
                LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                digest.update(buffer);
                buffer.clear();
            }
        } catch (ClosedByInterruptException e) {
            Thread.interrupted();
            throw new InterruptedException("interrupted while checking " + file);
        } catch (IOException e) {
            throw new NotVerified(what + " cannot be read: " + describe(e));
        }
        return hex(digest.digest());
    }

    private static String sha256Of(Object value, String where) throws NotVerified {
        if (!(value instanceof String hex) || !hex.matches("[0-9a-fA-F]{64}")) {
            throw new NotVerified(where + " has no valid \"sha256\" (it says " + value + ")");
        }
        return hex.toLowerCase(Locale.ROOT);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
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
