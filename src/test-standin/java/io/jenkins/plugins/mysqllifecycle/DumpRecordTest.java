package io.jenkins.plugins.mysqllifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.jenkins.plugins.mysqllifecycle.engine.BinlogCoordinates;
import io.jenkins.plugins.mysqllifecycle.engine.Compression;
import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the build page shows of a dump; the page itself is checked by the JenkinsRule test DumpPagesTest. */
class DumpRecordTest {
    private static DumpRecord directory(String file) {
        DumpResult result = new DumpResult("/w/" + file, "/w/" + file + ".json", 2048, "0123456789abcdef".repeat(4),
                Compression.ZSTD, List.of("shop", "stock"), false, "10.11.9-MariaDB", "mysql-lifecycle",
                "parallel/2", Instant.EPOCH, 61_000, 1_048_576, DumpResult.DIRECTORY, true,
                BinlogCoordinates.at("binlog.000042", 1234, "0-1-99"), List.of("old-1", "old-2")).withCounts(3, 12345);
        return DumpRecord.written("agent-1", "built-in", file, result);
    }

    @Test
    void aWrittenDumpShowsWhatItIsAndHowItWasMade() {
        DumpRecord dump = directory("backup/shop");
        assertEquals("agent-1", dump.getNode());
        assertEquals("shop, stock", dump.getDatabases());
        assertEquals("mysql-lifecycle parallel/2, directory, zstd", dump.getMethod());
        assertEquals("2.0 KiB", dump.getSize());
        assertEquals("1.0 MiB", dump.getRawSize());
        assertEquals("61.0 s", dump.getDuration());
        assertEquals("3", dump.getTables());
        assertEquals("12,345", dump.getRows());
        assertEquals("binlog.000042:1234 (GTIDs 0-1-99)", dump.getBinlog());
        assertEquals("0123456789ab", dump.getSha256Start());
        assertEquals(List.of("old-1", "old-2"), dump.getRemoved());
    }

    @Test
    void aFailedDumpShowsTheFirstLineOfItsCauseAndNothingOfAResult() {
        DumpRecord failed = DumpRecord.failed("", "db1:3306", List.of(), true, "all.sql.gz", Instant.EPOCH,
                "Access denied for user 'backup'@'10.0.0.5'\n  at the second line");
        assertEquals("built-in", failed.getNode());
        assertEquals("all databases", failed.getDatabases());
        assertEquals("Access denied for user 'backup'@'10.0.0.5'", failed.getFailure());
        assertEquals("", failed.getSize());
        assertEquals("", failed.getMethod());
        assertNull(failed.getBinlog());
    }

    /** An archive of these files, with every directory above them. */
    private static DumpRecord.Archive archiveOf(String... files) {
        return new DumpRecord.Archive() {
            @Override
            public boolean hasFile(String path) {
                return List.of(files).contains(path);
            }

            @Override
            public boolean hasDirectory(String path) {
                return List.of(files).stream().anyMatch(file -> file.startsWith(path + "/"));
            }
        };
    }

    @Test
    void aDumpLinksToItsArtifactByItsPathInTheWorkspace() {
        DumpRecord file = DumpTrendTest.written("built-in", "shop", "backup/shop 1#?.sql.gz", 1, 1, false,
                Instant.EPOCH);
        DumpRecord.Archive archive = archiveOf("backup/shop 1#?.sql.gz", "backup/shop/metadata.json",
                "back up/shop/t.sql.zst", "backup/ünï/metadata.json");
        assertEquals("artifact/backup/shop%201%23%3F.sql.gz", file.artifactHref(archive));
        assertEquals("artifact/backup/shop/", directory("backup/shop").artifactHref(archive),
                "a directory dump links to its directory");
        assertEquals("artifact/back%20up/shop/", directory("back up/shop").artifactHref(archive));
        assertEquals("artifact/backup/%C3%BCn%C3%AF/", directory("backup/ünï").artifactHref(archive));
        assertNull(directory("backup/sho").artifactHref(archive), "not a prefix of a name");
        assertNull(DumpTrendTest.written("built-in", "shop", "elsewhere.sql.gz", 1, 1, false, Instant.EPOCH)
                .artifactHref(archive), "not archived");
        assertNull(file.artifactHref(new DumpRecord.Archive() {
            @Override
            public boolean hasFile(String path) throws java.io.IOException {
                throw new java.io.IOException("the artifact store is down");
            }

            @Override
            public boolean hasDirectory(String path) throws java.io.IOException {
                throw new java.io.IOException("the artifact store is down");
            }
        }), "an archive that cannot be read costs only the link");
    }
}
