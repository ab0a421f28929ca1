package io.jenkins.plugins.mysqllifecycle.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** How the parallel dump cuts tables into pieces for its workers. */
class ParallelPlanTest {
    private static final long MIB = 1024L * 1024;
    private static final long GIB = 1024 * MIB;

    private static int[] plan(long[] sizes, boolean[] splittable, int workers) {
        return ParallelDumper.piecesPerTable(sizes, splittable, workers, ParallelDumper.CHUNK_BYTES);
    }

    @Test
    void eachWorkersShareIsCutIntoAboutThirtyTwoPieces() {
        // 1.2 GiB on 2 workers: pieces of about 19 MiB, so the workers end at most one small piece apart
        long[] six = {200 * MIB, 200 * MIB, 200 * MIB, 200 * MIB, 200 * MIB, 200 * MIB};
        assertArrayEquals(new int[] {11, 11, 11, 11, 11, 11}, plan(six, new boolean[] {true, true, true, true, true,
                true}, 2));
        assertArrayEquals(new int[] {32, 1, 1, 1}, plan(new long[] {1000 * MIB, MIB, MIB, MIB},
                new boolean[] {true, true, true, true}, 1));
    }

    @Test
    void aTableWithoutAnIntegerKeyIsOnePiece() {
        assertArrayEquals(new int[] {1, 2}, plan(new long[] {GIB / 2, 20 * MIB}, new boolean[] {false, true}, 2));
    }

    @Test
    void piecesStayBetweenEightMebibytesAndTheChunkLimit() {
        assertArrayEquals(new int[] {1, 1, 3}, plan(new long[] {MIB, 5 * MIB, 24 * MIB},
                new boolean[] {true, true, true}, 2));
        assertArrayEquals(new int[] {200}, plan(new long[] {200 * GIB}, new boolean[] {true}, 2));
        assertArrayEquals(new int[] {}, plan(new long[] {}, new boolean[] {}, 2));
        assertArrayEquals(new int[] {1024}, ParallelDumper.piecesPerTable(new long[] {1024 * 64 * 1024},
                new boolean[] {true}, 2, 64 * 1024));
    }
}
