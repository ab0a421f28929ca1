package io.jenkins.plugins.mysqllifecycle.engine.dump;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** How the parallel dump divides tables among its workers: split as little as balance allows. */
class ParallelPlanTest {
    private static final long MIB = 1024L * 1024;
    private static final long GIB = 1024 * MIB;

    private static int[] plan(long[] sizes, boolean[] splittable, int workers) {
        return ParallelDumper.piecesPerTable(sizes, splittable, workers, ParallelDumper.CHUNK_BYTES);
    }

    @Test
    void tablesThatBalanceWholeAreReadWhole() {
        long[] six = {200 * MIB, 200 * MIB, 200 * MIB, 200 * MIB, 200 * MIB, 200 * MIB};
        assertArrayEquals(new int[] {1, 1, 1, 1, 1, 1}, plan(six, new boolean[] {true, true, true, true, true, true},
                2));
    }

    @Test
    void theLargestTableIsSplitUntilNoWorkerIsLeftWithMoreThanItsShare() {
        assertArrayEquals(new int[] {2, 1, 1}, plan(new long[] {100 * MIB, 100 * MIB, 100 * MIB},
                new boolean[] {true, true, true}, 2));
        assertArrayEquals(new int[] {4, 1, 1, 1}, plan(new long[] {900 * MIB, MIB, MIB, MIB},
                new boolean[] {true, true, true, true}, 4));
    }

    @Test
    void aTableWithoutAnIntegerKeyIsNeverSplitAndOthersAreNotSplitInVainAroundIt() {
        assertArrayEquals(new int[] {1, 1}, plan(new long[] {GIB / 2, 10 * MIB}, new boolean[] {false, true}, 2));
        assertArrayEquals(new int[] {1, 1, 1}, plan(new long[] {300 * MIB, 200 * MIB, 100 * MIB},
                new boolean[] {false, true, true}, 2));
        assertArrayEquals(new int[] {1, 2}, plan(new long[] {200 * MIB, 400 * MIB}, new boolean[] {false, true},
                3));
    }

    @Test
    void noPieceIsPlannedLargerThanTheChunkLimitNorSplitBelowTwoMebibytes() {
        assertArrayEquals(new int[] {6}, plan(new long[] {5 * GIB}, new boolean[] {true}, 2));
        assertArrayEquals(new int[] {2}, plan(new long[] {3 * MIB}, new boolean[] {true}, 2));
        assertArrayEquals(new int[] {1}, plan(new long[] {3 * MIB / 2}, new boolean[] {true}, 2));
        assertArrayEquals(new int[] {}, plan(new long[] {}, new boolean[] {}, 2));
    }
}
