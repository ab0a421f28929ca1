package io.jenkins.plugins.mysqllifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The controller's page of dump ages as a model of build records, at a fixed now. */
class DumpAgesTest {
    private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    private static final Duration STALE_AFTER = Duration.ofHours(26);

    private static DumpAges.Found found(String job, int build, DumpRecord dump) {
        return new DumpAges.Found(job, "#" + build, "job/" + job + "/" + build + "/", dump);
    }

    private static DumpRecord dump(String host, String database, Duration ago, boolean verified) {
        return DumpTrendTest.written(host, database, database + ".sql.gz", 100, 10, verified, NOW.minus(ago));
    }

    @Test
    void eachHostAndDatabaseSetIsOneRowOldestVerifiedFirstAndOldOnesAreMarked() {
        List<DumpAges.Row> rows = DumpAges.rows(List.of(
                found("nightly", 5, dump("built-in", "shop", Duration.ofHours(30), true)),
                found("nightly", 6, dump("built-in", "shop", Duration.ofHours(2), false)),
                found("other", 1, dump("built-in", "shop", Duration.ofHours(3), true)),
                found("stock", 9, dump("db1:3306", "stock", Duration.ofHours(1), false)),
                found("fresh", 2, dump("db2:3306", "crm", Duration.ofHours(27), true)),
                found("fresh", 3, DumpRecord.failed("", "db2:3306", List.of("crm"), false, "crm.sql.gz", NOW,
                        "refused"))), NOW, STALE_AFTER);

        assertEquals(List.of("db1:3306 stock", "db2:3306 crm", "built-in shop"), rows.stream()
                .map(row -> row.getHost() + " " + row.getDatabases()).toList(), "never verified first, then oldest");
        DumpAges.Row stock = rows.get(0);
        assertNull(stock.getLastVerifiedAge());
        assertTrue(stock.isLastVerifiedStale(), "never verified is marked");
        assertFalse(stock.isLastStale());

        DumpAges.Row crm = rows.get(1);
        assertEquals("27 h", crm.getLastAge(), "the failed dump does not count");
        assertTrue(crm.isLastStale());
        assertTrue(crm.isLastVerifiedStale());

        DumpAges.Row shop = rows.get(2);
        assertEquals("2 h", shop.getLastAge());
        assertEquals("nightly #6", shop.getLastJob());
        assertEquals("job/nightly/6/", shop.getLastBuildUrl());
        assertEquals("3 h", shop.getLastVerifiedAge(), "the newest verified dump of any job");
        assertEquals("other #1", shop.getLastVerifiedJob());
        assertFalse(shop.isLastStale());
        assertFalse(shop.isLastVerifiedStale());
    }

    @Test
    void aDumpExactlyAtTheThresholdIsNotYetOld() {
        DumpAges.Row row = DumpAges.rows(List.of(found("j", 1, dump("h", "d", STALE_AFTER, true))), NOW,
                STALE_AFTER).get(0);
        assertFalse(row.isLastStale());
        assertFalse(row.isLastVerifiedStale());
    }

    @Test
    void theSettingAcceptsWholeHoursFromOne() {
        assertEquals(hudson.util.FormValidation.Kind.OK, DumpAgeConfiguration.staleAfterHours("26").kind);
        for (String bad : List.of("0", "-3", "1.5", "", "many")) {
            assertEquals(hudson.util.FormValidation.Kind.ERROR, DumpAgeConfiguration.staleAfterHours(bad).kind, bad);
        }
    }
}
