package io.jenkins.plugins.mysqllifecycle.engine.format;

import io.jenkins.plugins.mysqllifecycle.engine.EngineException;

import java.nio.file.Path;

/**
 * A dump, its manifest or its metadata is not what this tool writes: it was changed or damaged after it was
 * written, or another program made it. Nothing is read from or done to such a dump.
 */
public final class DamagedDumpException extends EngineException {
    private static final long serialVersionUID = 1L;
    private final String problem;

    /**
     * @param dump    the dump the problem belongs to
     * @param problem what is wrong, as a clause about the dump: "its manifest shop.sql.gz.json is not valid JSON"
     */
    public DamagedDumpException(Path dump, String problem) {
        super(dump + " is damaged or is not a dump of this tool: " + problem + ".");
        this.problem = problem;
    }

    /** What is wrong, as a clause about the dump (without the dump's path). */
    public String problem() {
        return problem;
    }
}
