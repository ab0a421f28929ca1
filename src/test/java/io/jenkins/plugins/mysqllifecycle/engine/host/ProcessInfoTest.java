package io.jenkins.plugins.mysqllifecycle.engine.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ProcessInfoTest {
    private static final String STAT_TAIL = " 1 4242 4242 0 -1 4194560 1 0 0 0 3 1 0 0 20 0 1 0 987654 1000 10 1";

    @Test
    void nameWithSpacesAndParenthesesDoesNotShiftTheFields() {
        ProcessInfo info = ProcessInfo.parse(4242, "4242 (my (odd) name) S" + STAT_TAIL,
                "/usr/sbin/mariadbd\0--datadir=/d\0".getBytes(StandardCharsets.UTF_8), "/usr/sbin/mariadbd (deleted)");
        assertEquals("my (odd) name", info.comm());
        assertEquals('S', info.state());
        assertEquals(987654, info.startTicks());
        assertEquals(List.of("/usr/sbin/mariadbd", "--datadir=/d"), info.commandLine());
        assertEquals(Optional.of("/d"), info.option("--datadir"));
        assertEquals("/usr/sbin/mariadbd", info.executable());
        assertTrue(info.isMysqlServer());
        assertFalse(info.hasExited());
    }

    @Test
    void zombieHasExitedAndScriptNamedLikeAServerCountsByItsName() {
        ProcessInfo zombie = ProcessInfo.parse(7, "7 (mysqld) Z" + STAT_TAIL, new byte[0]);
        assertTrue(zombie.hasExited());
        assertTrue(zombie.isMysqlServer());
        assertEquals(List.of(), zombie.commandLine());
    }

    @Test
    void otherProgramsAreNotServersEvenWithServerArguments() {
        ProcessInfo sleeper = ProcessInfo.parse(8, "8 (sleep) S" + STAT_TAIL,
                "sleep\0mysqld\0".getBytes(StandardCharsets.UTF_8));
        assertFalse(sleeper.isMysqlServer());
        ProcessInfo editor = ProcessInfo.parse(9, "9 (vi) S" + STAT_TAIL,
                "vi\0/etc/mysql/mariadbd.cnf\0".getBytes(StandardCharsets.UTF_8));
        assertFalse(editor.isMysqlServer());
    }

    @Test
    void thisJvmIsReadFromProc() throws Exception {
        ProcessInfo self = new LocalHost().process(ProcessHandle.current().pid()).orElseThrow();
        assertEquals(ProcessHandle.current().pid(), self.pid());
        assertTrue(self.startTicks() > 0);
        assertFalse(self.isMysqlServer());
    }
}
