package io.jenkins.plugins.mysqllifecycle;

import io.jenkins.plugins.mysqllifecycle.engine.util.Durations;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * When each host's databases were last dumped, and last dumped with a verified dump, across the jobs a user may
 * read: the rows of the controller's page ({@link DumpAgesAction}), oldest first, those older than the threshold
 * marked. A plain model of the records, so that it is tested without a Jenkins.
 */
final class DumpAges {
    private DumpAges() {
    }

    /** A written dump, with the job and build that made it. */
    record Found(String jobName, String buildName, String buildUrl, DumpRecord dump) {
    }

    /**
     * One host and database set.
     */
    public static final class Row {
        private final String host;
        private final String databases;
        private final Found last;
        private final Found lastVerified;
        private final Duration lastAge;
        private final Duration lastVerifiedAge;
        private final Duration staleAfter;

        Row(Found last, Found lastVerified, Instant now, Duration staleAfter) {
            this.host = last.dump().getHost();
            this.databases = last.dump().getDatabases();
            this.last = last;
            this.lastVerified = lastVerified;
            this.lastAge = age(last, now);
            this.lastVerifiedAge = lastVerified == null ? null : age(lastVerified, now);
            this.staleAfter = staleAfter;
        }

        private static Duration age(Found found, Instant now) {
            Duration age = Duration.between(found.dump().startedAt(), now);
            return age.isNegative() ? Duration.ZERO : age;
        }

        public String getHost() {
            return host;
        }

        public String getDatabases() {
            return databases;
        }

        public String getLastAge() {
            return Durations.describe(lastAge);
        }

        /** Null when no dump of these databases that the user may see was verified. */
        public String getLastVerifiedAge() {
            return lastVerifiedAge == null ? null : Durations.describe(lastVerifiedAge);
        }

        public String getLastJob() {
            return last.jobName() + " " + last.buildName();
        }

        public String getLastBuildUrl() {
            return last.buildUrl();
        }

        public String getLastVerifiedJob() {
            return lastVerified == null ? null : lastVerified.jobName() + " " + lastVerified.buildName();
        }

        public String getLastVerifiedBuildUrl() {
            return lastVerified == null ? null : lastVerified.buildUrl();
        }

        /** The last dump is older than the threshold. */
        public boolean isLastStale() {
            return lastAge.compareTo(staleAfter) > 0;
        }

        /** The last verified dump is older than the threshold, or there is none. */
        public boolean isLastVerifiedStale() {
            return lastVerifiedAge == null || lastVerifiedAge.compareTo(staleAfter) > 0;
        }

        /** How the rows are ordered: by the age of the last verified dump (none first), then of the last dump. */
        private Duration verifiedAgeOrMax() {
            return lastVerifiedAge == null ? Duration.ofSeconds(Long.MAX_VALUE) : lastVerifiedAge;
        }
    }

    /**
     * The rows for {@code dumps} (in any order; failed ones are not counted), oldest first.
     *
     * @param staleAfter an age beyond which a row's dump is marked
     */
    static List<Row> rows(List<Found> dumps, Instant now, Duration staleAfter) {
        Map<String, Found> last = new LinkedHashMap<>();
        Map<String, Found> lastVerified = new LinkedHashMap<>();
        for (Found found : dumps) {
            if (found.dump().isFailed()) {
                continue;
            }
            String series = found.dump().series();
            last.merge(series, found, DumpAges::newer);
            if (found.dump().isVerified()) {
                lastVerified.merge(series, found, DumpAges::newer);
            }
        }
        List<Row> rows = new ArrayList<>();
        last.forEach((series, found) -> rows.add(new Row(found, lastVerified.get(series), now, staleAfter)));
        rows.sort(Comparator.comparing(Row::verifiedAgeOrMax).thenComparing(row -> row.lastAge).reversed()
                .thenComparing(Row::getHost).thenComparing(Row::getDatabases));
        return rows;
    }

    private static Found newer(Found a, Found b) {
        return b.dump().startedAt().isAfter(a.dump().startedAt()) ? b : a;
    }
}
