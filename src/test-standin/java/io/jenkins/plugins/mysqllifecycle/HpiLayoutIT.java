package io.jenkins.plugins.mysqllifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jenkinsci.Symbol;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.jar.JarEntry;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;

/** The packaged plugin has the layout and manifest Jenkins reads (as maven-hpi-plugin makes them). */
class HpiLayoutIT {
    private static final Path HPI = Path.of("target/mysql-lifecycle.hpi");
    private static final Path CLI = Path.of("target/mysql-lifecycle-cli.jar");

    @Test
    void manifestDeclaresThePlugin() throws Exception {
        try (JarFile hpi = new JarFile(HPI.toFile())) {
            Attributes main = hpi.getManifest().getMainAttributes();
            assertEquals("mysql-lifecycle", main.getValue("Short-Name"));
            assertEquals("MySQL Lifecycle", main.getValue("Long-Name"));
            assertEquals("2.479.3", main.getValue("Jenkins-Version"));
            assertEquals("17", main.getValue("Minimum-Java-Version"));
            assertTrue(main.getValue("Plugin-Dependencies").matches(
                    "workflow-step-api:[^,]+,credentials:[^,]+,ssh-credentials:[^,]+,echarts-api:[^,]+"),
                    main.getValue("Plugin-Dependencies"));
            assertNotNull(main.getValue("Plugin-Version"));
            assertTrue(main.getValue("Url").startsWith("https://"), main.getValue("Url"));
        }
    }

    @Test
    void bundlesThePluginJarAndItsLibrariesButNoJenkinsApi() throws Exception {
        List<String> libraries = new ArrayList<>();
        try (JarFile hpi = new JarFile(HPI.toFile())) {
            hpi.stream().map(JarEntry::getName).filter(name -> name.startsWith("WEB-INF/lib/") && name.endsWith(".jar"))
                    .forEach(libraries::add);
        }
        assertTrue(libraries.contains("WEB-INF/lib/mysql-lifecycle.jar"), libraries.toString());
        assertTrue(libraries.stream().anyMatch(name -> name.contains("mysql-connector-j")), libraries.toString());
        assertTrue(libraries.stream().anyMatch(name -> name.contains("/jsch-")), libraries.toString());
        for (String forbidden : List.of("mysql-lifecycle-", "standin", "stapler", "sezpoz", "commons-io", "junit",
                "guava", "archunit")) {
            assertFalse(libraries.stream().anyMatch(name -> name.contains(forbidden)),
                    forbidden + " must not be bundled: " + libraries);
        }
    }

    @Test
    void pluginJarHoldsTheExtensionIndexStaplerFilesAndUi() throws Exception {
        byte[] pluginJar;
        try (JarFile hpi = new JarFile(HPI.toFile());
             InputStream in = hpi.getInputStream(hpi.getEntry("WEB-INF/lib/mysql-lifecycle.jar"))) {
            pluginJar = in.readAllBytes();
        }
        Set<String> entries = new java.util.HashSet<>();
        String extensionIndex = null;
        String symbolIndex = null;
        try (JarInputStream jar = new JarInputStream(new ByteArrayInputStream(pluginJar))) {
            for (JarEntry entry; (entry = jar.getNextJarEntry()) != null; ) {
                entries.add(entry.getName());
                if (entry.getName().equals("META-INF/annotations/hudson.Extension")) {
                    extensionIndex = new String(jar.readAllBytes(), StandardCharsets.ISO_8859_1);
                } else if (entry.getName().equals("META-INF/services/annotations/org.jenkinsci.Symbol")) {
                    symbolIndex = new String(jar.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        assertNotNull(extensionIndex, "no sezpoz index of @Extension");
        for (String extension : List.of("MysqlStartStep$DescriptorImpl", "MysqlDumpStep$DescriptorImpl",
                "MysqlStopStep$DescriptorImpl", "MysqlStartBuilder$DescriptorImpl", "MysqlDumpBuilder$DescriptorImpl",
                "MysqlStopBuilder$DescriptorImpl", "WithMysqlStep$DescriptorImpl",
                "WithMysqlBuildWrapper$DescriptorImpl", "StopServersWhenBuildEnds", "MysqlRestoreStep$DescriptorImpl",
                "MysqlRestoreBuilder$DescriptorImpl")) {
            assertTrue(extensionIndex.contains("io.jenkins.plugins.mysqllifecycle." + extension),
                    extension + " is not in the extension index");
        }
        assertNotNull(symbolIndex, "no index of @Symbol");
        for (Class<?> descriptor : List.of(MysqlStartBuilder.DescriptorImpl.class,
                MysqlDumpBuilder.DescriptorImpl.class, MysqlStopBuilder.DescriptorImpl.class,
                WithMysqlBuildWrapper.DescriptorImpl.class, MysqlRestoreBuilder.DescriptorImpl.class)) {
            assertNotNull(descriptor.getAnnotation(Symbol.class));
            assertTrue(symbolIndex.contains(descriptor.getName()), descriptor + " missing from the @Symbol index");
        }
        // the engine lives in the plugin's own jar: the classes that come back from an agent are the plugin's
        for (String engineClass : List.of("engine/DumpResult", "engine/ServerHandle", "engine/EngineException",
                "engine/dump/Dumper", "engine/cli/Cli")) {
            assertTrue(entries.contains("io/jenkins/plugins/mysqllifecycle/" + engineClass + ".class"),
                    engineClass + " is not in the plugin jar");
        }
        assertFalse(entries.stream().anyMatch(name -> name.startsWith("hudson/") || name.startsWith("jenkins/")
                || name.startsWith("org/") || name.startsWith("com/") || name.startsWith("io/jenkins/plugins/echarts/")),
                "the stand-in leaked into the plugin jar");
        for (String file : List.of("index.jelly", "io/jenkins/plugins/mysqllifecycle/MysqlStartStep.stapler",
                "io/jenkins/plugins/mysqllifecycle/MysqlDumpBuilder/config.jelly",
                "io/jenkins/plugins/mysqllifecycle/MysqlDumpStep/help-timeout.html",
                "io/jenkins/plugins/mysqllifecycle/ServersAction/summary.jelly",
                "io/jenkins/plugins/mysqllifecycle/WithMysqlBuildWrapper/config.jelly",
                "io/jenkins/plugins/mysqllifecycle/WithMysqlStep/help-stopTimeout.html",
                "io/jenkins/plugins/mysqllifecycle/MysqlRestoreStep/config.jelly",
                "io/jenkins/plugins/mysqllifecycle/MysqlRestoreStep/help-input.html",
                "io/jenkins/plugins/mysqllifecycle/DumpsAction/summary.jelly",
                "io/jenkins/plugins/mysqllifecycle/DumpTrendAction/floatingBox.jelly",
                "io/jenkins/plugins/mysqllifecycle/DumpAgesAction/index.jelly",
                "io/jenkins/plugins/mysqllifecycle/DumpAgeConfiguration/help-staleAfterHours.html")) {
            assertTrue(entries.contains(file), file + " is not in the plugin jar");
        }
    }

    /** What bin/mysql-lifecycle runs: the engine and its libraries, nothing of the plugin. */
    @Test
    void cliJarHoldsTheEngineAndNoPluginClassesOrUi() throws Exception {
        try (JarFile cli = new JarFile(CLI.toFile())) {
            assertEquals("io.jenkins.plugins.mysqllifecycle.engine.cli.Cli",
                    cli.getManifest().getMainAttributes().getValue("Main-Class"));
            List<String> names = cli.stream().map(JarEntry::getName).toList();
            assertTrue(names.contains("io/jenkins/plugins/mysqllifecycle/engine/cli/Cli.class"), "no CLI class");
            assertTrue(names.stream().anyMatch(name -> name.startsWith("com/mysql/cj/")), "no Connector/J");
            assertTrue(names.stream().anyMatch(name -> name.startsWith("com/jcraft/jsch/")), "no JSch");
            List<String> plugin = names.stream().filter(name -> name.matches(
                    "io/jenkins/plugins/mysqllifecycle/[^/]+\\.class") || name.endsWith(".jelly")
                    || name.startsWith("hudson/") || name.startsWith("jenkins/")).toList();
            assertEquals(List.of(), plugin, "plugin classes, UI or Jenkins API in the CLI jar");
        }
    }

    @Test
    void cliJarRunsOnItsOwn() throws Exception {
        Process help = new ProcessBuilder("java", "-jar", CLI.toString(), "--help").redirectErrorStream(true).start();
        String output = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(help.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the CLI jar did not exit");
        assertEquals(0, help.exitValue(), output);
        for (String command : List.of("start", "dump", "restore", "stop", "demo")) {
            assertTrue(output.contains(command), "usage names no " + command + ": " + output);
        }
        Process version = new ProcessBuilder("java", "-jar", CLI.toString(), "--version").redirectErrorStream(true)
                .start();
        String said = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(version.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "the CLI jar did not exit");
        assertTrue(said.matches("mysql-lifecycle \\d+\\.\\d+\\.\\d+.*\\s*"), said);
    }

    @Test
    void hpiIsNotStale() throws IOException {
        assertTrue(Files.getLastModifiedTime(HPI).toMillis() >= Files.getLastModifiedTime(
                Path.of("target/mysql-lifecycle.jar")).toMillis(), "the .hpi is older than the plugin jar");
        try (JarInputStream in = new JarInputStream(Files.newInputStream(HPI))) {
            Manifest manifest = in.getManifest();
            assertNotNull(manifest);
        }
    }
}
