package io.jenkins.plugins.mysqllifecycle.engine.format;

import io.jenkins.plugins.mysqllifecycle.engine.util.Bytes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads the dump's small files (manifest, metadata): regular files, never through a link, of a bounded size. What
 * makes such a file not one of this tool's is a {@link DamagedDumpException}; a file that cannot be read (permission
 * denied, a failing disk) is an {@link IOException}.
 */
final class SmallFiles {
    private SmallFiles() {
    }

    /**
     * @param dump the dump a problem is reported for
     * @param what the file as the message names it: "its manifest shop.sql.json"
     */
    static byte[] read(Path dump, Path file, int maxBytes, String what)
            throws DamagedDumpException, IOException, InterruptedException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new DamagedDumpException(dump, what + " is missing");
        }
        if (attributes.isSymbolicLink()) {
            throw new DamagedDumpException(dump, what + " is a symbolic link");
        }
        if (!attributes.isRegularFile()) {
            throw new DamagedDumpException(dump, what + " is not a regular file");
        }
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] content = in.readNBytes(maxBytes + 1);
            if (content.length > maxBytes) {
                throw new DamagedDumpException(dump, what + " is larger than " + Bytes.describe(maxBytes));
            }
            return content;
        } catch (ClosedByInterruptException e) {
            Thread.interrupted();
            throw new InterruptedException("interrupted while reading " + file);
        }
    }
}
