package io.jenkins.plugins.mysqllifecycle.engine.format;

import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.util.Log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Whether a dump on disk is still what its manifest and metadata say was written: every byte, by SHA-256. */
public final class DumpCheck {
    /** A directory dump that matches its manifest and metadata, with its files sorted by what a restore does. */
    public record Directory(Compression compression, long bytes, List<String> databaseSchemas,
                            List<DirectoryMetadata.Table> tables, List<String> storedObjects) {
    }

    private DumpCheck() {
    }

    /** Checks a dump file against its manifest, when it has one; returns its compression. */
    public static Compression checkFile(Path file, Log log) throws IOException, EngineException, InterruptedException {
        Manifest manifest = Manifest.besideOrNull(file);
        if (manifest == null) {
            log.warn(file + " has no manifest (" + file.getFileName() + DumpNames.MANIFEST_SUFFIX + "): it is loaded"
                    + " unchecked");
            String name = file.getFileName().toString();
            return name.endsWith(Compression.GZIP.suffix()) ? Compression.GZIP
                    : name.endsWith(Compression.ZSTD.suffix()) ? Compression.ZSTD : Compression.NONE;
        }
        String actual = Sha256.ofFile(file);
        if (!manifest.sha256().equals(actual)) {
            throw new EngineException(file + " does not match its manifest (sha256 " + actual + ", the manifest"
                    + " says " + manifest.sha256() + "): it was changed or damaged after it was written, and was not"
                    + " loaded.");
        }
        return manifest.compression();
    }

    /** Checks metadata.json against the manifest and every file against metadata.json; nothing else may be there. */
    public static Directory checkDirectory(Path directory) throws IOException, EngineException, InterruptedException {
        return checkDirectory(directory, null);
    }

    /**
     * As {@link #checkDirectory(Path)}; a directory without its manifest is warned about in {@code log}, as a file
     * is: its metadata.json then vouches for the files, but nothing vouches for metadata.json.
     */
    public static Directory checkDirectory(Path directory, Log log) throws IOException, EngineException,
            InterruptedException {
        Path metadataFile = directory.resolve(DumpNames.METADATA);
        if (!Files.isRegularFile(metadataFile, LinkOption.NOFOLLOW_LINKS)) {
            throw new InvalidSpecException(directory + " is not a directory dump of this tool: it has no "
                    + DumpNames.METADATA + ".");
        }
        byte[] content = DirectoryMetadata.readBytes(directory);
        Manifest manifest = Manifest.besideOrNull(directory);
        if (manifest == null && log != null) {
            log.warn(directory + " has no manifest (" + directory.getFileName() + DumpNames.MANIFEST_SUFFIX + "):"
                    + " its files are checked against its " + DumpNames.METADATA + ", but that file itself is loaded"
                    + " unchecked");
        }
        if (manifest != null && !manifest.sha256().equals(Sha256.of(content))) {
            throw new EngineException(metadataFile + " does not match the manifest " + directory
                    + DumpNames.MANIFEST_SUFFIX + ": the dump was changed or damaged after it was written, and was"
                    + " not loaded.");
        }
        DirectoryMetadata metadata = DirectoryMetadata.parse(directory, content);
        long bytes = 0;
        List<String> databaseSchemas = new ArrayList<>();
        List<String> storedObjects = new ArrayList<>();
        for (DirectoryMetadata.Listed entry : metadata.files().values()) {
            String name = entry.file();
            Path file = directory.resolve(name).normalize();
            if (!file.getParent().equals(directory) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new EngineException(directory + " lacks " + name + ", which its metadata lists: the dump is"
                        + " incomplete and was not loaded.");
            }
            String actual = Sha256.ofFile(file);
            if (!actual.equals(entry.sha256())) {
                throw new EngineException(file + " does not match the dump's metadata (sha256 " + actual + "): it"
                        + " was changed or damaged after it was written, and nothing was loaded.");
            }
            bytes += Files.size(file);
            if (DumpNames.isDatabaseSchema(name)) {
                databaseSchemas.add(name);
            } else if (DumpNames.isStoredObjects(name)) {
                storedObjects.add(name);
            }
        }
        return new Directory(metadata.compression(), bytes, databaseSchemas, metadata.tables(), storedObjects);
    }
}
