package io.jenkins.plugins.mysqllifecycle.engine.dump;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One dump at a time writes an output, within this JVM. The file locks that keep dumps of two processes apart
 * cannot do it within one: a second lock of the same file throws, and closing any channel of the file releases the
 * lock the first dump holds (POSIX record locks belong to the process). So a dump claims its output here before it
 * touches a file, and the loser is told another dump is writing it.
 */
final class OutputClaim implements AutoCloseable {
    private static final Set<Path> CLAIMED = ConcurrentHashMap.newKeySet();

    private final Path output;

    private OutputClaim(Path output) {
        this.output = output;
    }

    /** @param output absolute and normalized, as the dump names its files after it */
    static OutputClaim claim(Path output) throws EngineException {
        if (!CLAIMED.add(output)) {
            throw anotherDumpIsWriting(output);
        }
        return new OutputClaim(output);
    }

    static EngineException anotherDumpIsWriting(Path output) {
        return new EngineException("Another dump is writing " + output + " right now; wait for it to finish or"
                + " write to another path.");
    }

    @Override
    public void close() {
        CLAIMED.remove(output);
    }
}
