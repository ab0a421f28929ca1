package io.jenkins.plugins.mysqllifecycle;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layout the code promises (README, "Packages"): the engine runs without Jenkins, its packages form layers with no
 * cycles, and the plugin reaches the engine only through its API package and its entry points. Until the engine was a
 * Maven module of its own, the module boundary enforced the first rule; now this test does.
 */
class ArchitectureTest {
    private static final String PLUGIN = "io.jenkins.plugins.mysqllifecycle";
    private static final String ENGINE = PLUGIN + ".engine";

    /**
     * The engine's packages from the bottom up: a package may use the engine's API package and the packages before it
     * in this list, never one after it.
     */
    static final List<String> LAYERS = List.of("util", "host", "host.ssh", "jdbc", "sql", "tools", "server", "format",
            "restore", "verify", "retention", "report", "dump", "cli");

    /**
     * The engine classes the plugin may use besides the API package: where commands run, the four operations, and the
     * JSON, sizes and durations the engine writes (the pages of dumps read as its logs and its report do).
     */
    static final Set<String> ENTRY_POINTS = Set.of(ENGINE + ".host.Host", ENGINE + ".host.LocalHost",
            ENGINE + ".host.ssh.SshHost", ENGINE + ".server.ServerLauncher", ENGINE + ".server.ServerStopper",
            ENGINE + ".dump.Dumper", ENGINE + ".restore.Restorer", ENGINE + ".util.Json", ENGINE + ".util.Bytes",
            ENGINE + ".util.Durations");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(PLUGIN);
    }

    @Test
    void theEngineUsesNothingOfJenkinsNorOfThePlugin() {
        List<String> violations = new ArrayList<>();
        for (JavaClass engineClass : engineClasses()) {
            for (Dependency dependency : engineClass.getDirectDependenciesFromSelf()) {
                JavaClass target = dependency.getTargetClass().getBaseComponentType();
                if (isJenkinsApi(target.getName()) || target.getPackageName().equals(PLUGIN)) {
                    violations.add(dependency.getDescription());
                }
            }
        }
        assertTrue(violations.isEmpty(), "The engine must run without Jenkins (the CLI ships it alone):\n"
                + String.join("\n", violations));
    }

    @Test
    void eachEnginePackageUsesOnlyTheApiAndTheLayersBeneathIt() {
        List<String> violations = new ArrayList<>();
        for (JavaClass engineClass : engineClasses()) {
            int from = layerOf(engineClass.getPackageName());
            for (Dependency dependency : engineClass.getDirectDependenciesFromSelf()) {
                String target = dependency.getTargetClass().getBaseComponentType().getPackageName();
                if (!target.startsWith(ENGINE) || target.equals(engineClass.getPackageName())) {
                    continue;
                }
                int to = layerOf(target);
                if (to >= from) {
                    violations.add(dependency.getDescription());
                }
            }
        }
        assertTrue(violations.isEmpty(), "Layers, bottom up: engine (the API), " + String.join(", ", LAYERS)
                + ". A package uses only those before it:\n" + String.join("\n", violations));
    }

    @Test
    void theEnginesPackagesHaveNoCycles() {
        slices().matching(ENGINE + ".(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void thePluginUsesTheEngineOnlyThroughItsApiAndEntryPoints() {
        Set<String> violations = new TreeSet<>();
        for (JavaClass pluginClass : classes) {
            if (!pluginClass.getPackageName().equals(PLUGIN)) {
                continue;
            }
            for (Dependency dependency : pluginClass.getDirectDependenciesFromSelf()) {
                JavaClass target = dependency.getTargetClass().getBaseComponentType();
                String targetPackage = target.getPackageName();
                if (targetPackage.startsWith(ENGINE + ".") && !ENTRY_POINTS.contains(outermost(target).getName())) {
                    violations.add(pluginClass.getSimpleName() + " uses " + target.getName());
                }
            }
        }
        assertTrue(violations.isEmpty(), "The plugin may use the engine's API package and " + ENTRY_POINTS
                + " only:\n" + String.join("\n", violations));
    }

    @Test
    void everyLayerIsARealPackage() {
        // a layer renamed in the code but not here would make the rule above vacuous for it
        Set<String> packages = new TreeSet<>();
        engineClasses().forEach(engineClass -> packages.add(engineClass.getPackageName()));
        for (String layer : LAYERS) {
            assertTrue(packages.contains(ENGINE + "." + layer), "no classes in " + ENGINE + "." + layer);
        }
        for (String engineAPackage : packages) {
            assertTrue(engineAPackage.equals(ENGINE) || LAYERS.contains(engineAPackage.substring(ENGINE.length() + 1)),
                    engineAPackage + " is in no layer: add it to ArchitectureTest.LAYERS where it belongs");
        }
    }

    private static List<JavaClass> engineClasses() {
        return classes.stream().filter(c -> c.getPackageName().equals(ENGINE)
                || c.getPackageName().startsWith(ENGINE + ".")).toList();
    }

    /** The API package is beneath every layer. */
    private static int layerOf(String enginePackage) {
        if (enginePackage.equals(ENGINE)) {
            return -1;
        }
        return LAYERS.indexOf(enginePackage.substring(ENGINE.length() + 1));
    }

    private static boolean isJenkinsApi(String className) {
        return className.startsWith("hudson.") || className.startsWith("jenkins.")
                || className.startsWith("org.jenkinsci.") || className.startsWith("org.kohsuke.");
    }

    private static JavaClass outermost(JavaClass javaClass) {
        JavaClass current = javaClass;
        while (current.getEnclosingClass().isPresent()) {
            current = current.getEnclosingClass().get();
        }
        return current;
    }
}
