package io.jenkins.plugins.mysqllifecycle.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One timed run: wall time, CPU of this JVM and its reaped children (the reference tools run as children), and CPU
 * of the server, all from the monotonic clock and /proc.
 */
record Sample(double wallMs, double clientCpuSeconds, double serverCpuSeconds) {
    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux

    /** A point to measure from: now, and the CPU counters as they are now. */
    record Mark(long nanos, long clientTicks, long serverTicks) {
        static Mark now(long serverPid) {
            return new Mark(System.nanoTime(), readClientTicks(), readServerTicks(serverPid));
        }

        Sample sampleNow(long serverPid) {
            return new Sample((System.nanoTime() - nanos) / 1e6, (readClientTicks() - clientTicks) / TICKS_PER_SECOND,
                    (readServerTicks(serverPid) - serverTicks) / TICKS_PER_SECOND);
        }
    }

    /** utime + stime + cutime + cstime of this JVM: its own CPU and that of children it has reaped. */
    static long readClientTicks() {
        String[] fields = fieldsAfterName("/proc/self/stat");
        return fields == null ? 0 : Long.parseLong(fields[11]) + Long.parseLong(fields[12])
                + Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    }

    static long readServerTicks(long pid) {
        if (pid <= 0) {
            return 0;
        }
        String[] fields = fieldsAfterName("/proc/" + pid + "/stat");
        return fields == null ? 0 : Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    private static String[] fieldsAfterName(String statFile) {
        try {
            String stat = Files.readString(Path.of(statFile));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException gone) {
            return null;
        }
    }
}
