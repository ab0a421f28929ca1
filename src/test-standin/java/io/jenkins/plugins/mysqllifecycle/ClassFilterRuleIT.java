package io.jenkins.plugins.mysqllifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.mysqllifecycle.engine.DumpResult;
import io.jenkins.plugins.mysqllifecycle.engine.EngineException;
import io.jenkins.plugins.mysqllifecycle.engine.InvalidSpecException;
import io.jenkins.plugins.mysqllifecycle.engine.OperationTimeoutException;
import io.jenkins.plugins.mysqllifecycle.engine.RestoreResult;
import io.jenkins.plugins.mysqllifecycle.engine.ServerHandle;
import io.jenkins.plugins.mysqllifecycle.engine.StopResult;
import io.jenkins.plugins.mysqllifecycle.engine.StopTimeoutException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A real Jenkins lets XStream (config.xml, build.xml) and remoting (what an agent sends back) handle a class only
 * when {@code jenkins.security.ClassFilterImpl} permits it. Read at jenkinsci/jenkins tag jenkins-2.479.3,
 * {@code core/src/main/java/jenkins/security/ClassFilterImpl.java}: arrays, throwables and enums always pass
 * ({@code isBlacklisted(Class)}); any other class passes by its location, and a jar location passes only when the
 * jar's manifest is a plugin manifest ({@code isPluginManifest}: {@code Short-Name} with {@code Plugin-Version} or
 * {@code Jenkins-Version}, or {@code Jenkins-ClassFilter-Whitelisted: true}). A class in a plain library jar of
 * {@code WEB-INF/lib} is refused: a builder could not be saved, a result from an agent would fail to deserialize, and
 * an exception would arrive as a {@code ProxyException} that no {@code catch (EngineException)} matches.
 *
 * <p>This test applies that rule to the built {@code .hpi}: for every class of ours that is persisted (builders,
 * the wrapper, steps, their options, actions, records, disposers, step executions) or crosses the channel (each
 * {@code MasterToSlaveCallable}, what it returns and throws), and every class their non-transient fields can hold,
 * transitively, the jar it is packaged in must pass. Library classes reached through fields must be ones the rule
 * permits anyway (throwables, enums) or the walk fails naming the field.
 */
class ClassFilterRuleIT {
    private static final Path HPI = Path.of("target/mysql-lifecycle.hpi");
    private static final String OURS = "io.jenkins.plugins.mysqllifecycle.";

    /** Persisted by XStream in config.xml or build.xml, or by the Pipeline engine with the running build. */
    private static final List<Class<?>> PERSISTED = List.of(MysqlStartBuilder.class, MysqlDumpBuilder.class,
            MysqlRestoreBuilder.class, MysqlStopBuilder.class, WithMysqlBuildWrapper.class,
            WithMysqlBuildWrapper.StopServer.class, MysqlStartStep.class, MysqlDumpStep.class, MysqlRestoreStep.class,
            MysqlStopStep.class, WithMysqlStep.class, SshOptions.class, ServersAction.class, ServerRecord.class,
            BlockServer.class, MysqlStartStep.Execution.class, MysqlDumpStep.Execution.class,
            MysqlRestoreStep.Execution.class, MysqlStopStep.Execution.class, WithMysqlStep.Execution.class,
            WithMysqlStep.ConnectionVariables.class, DumpsAction.class, DumpRecord.class,
            DumpAgeConfiguration.class);

    /** Sent to an agent (the callables) and back (their results and exceptions). */
    private static final List<Class<?>> OVER_THE_CHANNEL = List.of(EngineCall.Start.class, EngineCall.Dump.class,
            EngineCall.Restore.class, EngineCall.Stop.class, ServerHandle.class, DumpResult.class,
            RestoreResult.class, StopResult.class, EngineException.class, InvalidSpecException.class,
            OperationTimeoutException.class, StopTimeoutException.class);

    /** Jar name in WEB-INF/lib to its entries, and whether its manifest is a plugin manifest. */
    private static final Map<String, Set<String>> JAR_ENTRIES = new TreeMap<>();
    private static final Map<String, Boolean> PLUGIN_MANIFEST = new HashMap<>();

    @BeforeAll
    static void readTheHpi() throws Exception {
        try (JarFile hpi = new JarFile(HPI.toFile())) {
            for (JarEntry entry : hpi.stream().toList()) {
                if (!entry.getName().startsWith("WEB-INF/lib/") || !entry.getName().endsWith(".jar")) {
                    continue;
                }
                String jar = entry.getName().substring("WEB-INF/lib/".length());
                Set<String> entries = new LinkedHashSet<>();
                try (InputStream in = hpi.getInputStream(entry); JarInputStream inner = new JarInputStream(in)) {
                    PLUGIN_MANIFEST.put(jar, isPluginManifest(inner.getManifest()));
                    for (JarEntry classFile; (classFile = inner.getNextJarEntry()) != null; ) {
                        entries.add(classFile.getName());
                    }
                }
                JAR_ENTRIES.put(jar, entries);
            }
        }
        assertTrue(JAR_ENTRIES.containsKey("mysql-lifecycle.jar"), "no plugin jar in " + JAR_ENTRIES.keySet());
    }

    /** ClassFilterImpl.isPluginManifest, as the real source states it. */
    private static boolean isPluginManifest(Manifest manifest) {
        if (manifest == null) {
            return false;
        }
        Attributes main = manifest.getMainAttributes();
        return main.getValue("Short-Name") != null
                && (main.getValue("Plugin-Version") != null || main.getValue("Jenkins-Version") != null)
                || "true".equals(main.getValue("Jenkins-ClassFilter-Whitelisted"));
    }

    @Test
    void everyPersistedClassIsInAJarThatPassesTheRule() {
        assertEquals(List.of(), refused(PERSISTED));
    }

    @Test
    void everyClassThatCrossesTheChannelIsInAJarThatPassesTheRule() {
        assertEquals(List.of(), refused(OVER_THE_CHANNEL));
    }

    /** The rule must be able to fail: a plain library jar is refused (Connector/J's has no plugin manifest). */
    @Test
    void aBundledLibraryJarDoesNotPass() {
        String connector = JAR_ENTRIES.keySet().stream().filter(jar -> jar.startsWith("mysql-connector-j"))
                .findFirst().orElseThrow();
        assertEquals(false, PLUGIN_MANIFEST.get(connector));
        assertEquals("com.mysql.cj.jdbc.ConnectionImpl in " + connector + " (a plain library jar)",
                permission(com.mysql.cj.jdbc.ConnectionImpl.class));
    }

    /** The classes the walk from {@code roots} reaches that ClassFilterImpl would refuse, each with why. */
    private static List<String> refused(List<Class<?>> roots) {
        List<String> problems = new ArrayList<>();
        Set<Class<?>> seen = new LinkedHashSet<>();
        Deque<Class<?>> queue = new ArrayDeque<>(roots);
        int ours = 0;
        while (!queue.isEmpty()) {
            Class<?> type = queue.poll();
            if (!seen.add(type) || type.isPrimitive()) {
                continue;
            }
            if (type.isArray()) {
                queue.add(type.getComponentType()); // arrays pass; what they hold is checked on its own
                continue;
            }
            String problem = permission(type);
            if (problem != null) {
                problems.add(problem);
            }
            if (!type.getName().startsWith(OURS)) {
                continue; // a JDK or Jenkins class: its own serialized form is its business
            }
            ours++;
            for (Class<?> level = type; level != null && level.getName().startsWith(OURS); level = level.getSuperclass()) {
                for (Field field : level.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers()) && !Modifier.isTransient(field.getModifiers())) {
                        collect(field.getGenericType(), queue);
                    }
                }
            }
        }
        assertTrue(ours >= roots.size(), "the walk reached almost nothing: " + seen);
        return problems;
    }

    /** Null when ClassFilterImpl permits the class; otherwise why not. */
    private static String permission(Class<?> type) {
        if (Throwable.class.isAssignableFrom(type) || Enum.class.isAssignableFrom(type)) {
            return null;
        }
        String name = type.getName();
        if (name.startsWith("java.") || name.startsWith("hudson.") || name.startsWith("jenkins.")
                || name.startsWith("org.jenkinsci.") || name.startsWith("org.kohsuke.")) {
            return null; // the JDK's whitelist, or Jenkins core and its plugins, which run from plugin locations
        }
        String entry = name.replace('.', '/') + ".class";
        List<String> jars = JAR_ENTRIES.entrySet().stream().filter(jar -> jar.getValue().contains(entry))
                .map(Map.Entry::getKey).toList();
        if (jars.size() != 1) {
            return name + " is packaged in " + jars.size() + " jars of the .hpi: " + jars;
        }
        return PLUGIN_MANIFEST.get(jars.get(0)) ? null : name + " in " + jars.get(0) + " (a plain library jar)";
    }

    private static void collect(Type type, Deque<Class<?>> queue) {
        if (type instanceof Class<?> raw) {
            queue.add(raw);
        } else if (type instanceof ParameterizedType parameterized) {
            collect(parameterized.getRawType(), queue);
            for (Type argument : parameterized.getActualTypeArguments()) {
                collect(argument, queue);
            }
        } else if (type instanceof GenericArrayType array) {
            collect(array.getGenericComponentType(), queue);
        } else if (type instanceof WildcardType wildcard) {
            for (Type bound : wildcard.getUpperBounds()) {
                collect(bound, queue);
            }
        }
    }
}
