package io.jenkins.plugins.mysqllifecycle.engine.restore;

import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * The Connector/J this project builds with lets a restore send each statement from its own buffer: if an upgrade
 * took that away, restores would quietly fall back to the slower JDBC path (StatementSender), and only this says so.
 * Both paths load the awkward data of ParallelDumpTest to the source's checksums.
 */
class StatementSenderTest {
    @Test
    void thisConnectorJLetsStatementsGoFromTheirOwnBuffer() {
        assertNull(StatementSender.PACKETS_UNAVAILABLE);
    }
}
