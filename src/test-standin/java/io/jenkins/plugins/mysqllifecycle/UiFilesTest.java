package io.jenkins.plugins.mysqllifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Item;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.verb.POST;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The job-configuration UI matches the classes: every field has a form entry, a help file and a getter. */
class UiFilesTest {
    /** Pipeline-only arguments: a map returned by mysqlStart cannot be typed into a form. */
    private static final Map<Class<?>, Set<String>> PIPELINE_ONLY = Map.of(
            MysqlDumpStep.class, Set.of("server"), MysqlStopStep.class, Set.of("server"), MysqlRestoreStep.class,
            Set.of("server"));

    /**
     * The constructor's parameter names come from the {@code .stapler} file stapler's annotation processor wrote,
     * which is where Jenkins reads them too.
     */
    static List<String> fields(Class<?> type) throws Exception {
        List<String> fields = new ArrayList<>();
        boolean bound = false;
        for (Constructor<?> constructor : type.getConstructors()) {
            bound |= constructor.isAnnotationPresent(DataBoundConstructor.class);
        }
        assertTrue(bound, type + " has no @DataBoundConstructor");
        Properties names = new Properties();
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + ".stapler")) {
            assertNotNull(in, "stapler's annotation processor wrote no " + type.getSimpleName() + ".stapler");
            names.load(in);
        }
        for (String name : names.getProperty("constructor", "").split(",")) {
            if (!name.isBlank()) {
                fields.add(name.strip());
            }
        }
        for (Method method : type.getMethods()) {
            if (method.isAnnotationPresent(DataBoundSetter.class)) {
                fields.add(Character.toLowerCase(method.getName().charAt(3)) + method.getName().substring(4));
            }
        }
        return fields;
    }

    private static Document jelly(Class<?> type, String page) throws Exception {
        String resource = type.getSimpleName() + "/" + page;
        try (InputStream in = type.getResourceAsStream(resource)) {
            assertNotNull(in, "missing " + type.getName() + "/" + page);
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(in); // throws on XML that is not well-formed
        }
    }

    @ParameterizedTest
    @ValueSource(classes = {MysqlStartStep.class, MysqlDumpStep.class, MysqlStopStep.class, MysqlStartBuilder.class,
            MysqlDumpBuilder.class, MysqlStopBuilder.class, SshOptions.class, WithMysqlStep.class,
            WithMysqlBuildWrapper.class, MysqlRestoreStep.class, MysqlRestoreBuilder.class})
    void everyFieldHasAFormEntryAHelpFileAndAGetter(Class<?> type) throws Exception {
        assertFalse(fields(type).isEmpty(), "found no fields on " + type);
        Document config = jelly(type, "config.jelly");
        Set<String> entries = new HashSet<>();
        Set<String> nested = fieldsOf(config, "property");
        entries.addAll(nested);
        entries.addAll(fieldsOf(config, "entry"));
        entries.addAll(fieldsOf(config, "optionalBlock"));
        assertNotNull(type.getResource(type.getSimpleName() + "/help.html"), type + " has no help.html");
        Map<String, Class<?>> sharedHelp = sharedHelp(type);
        for (String field : fields(type)) {
            // a nested step's form (f:property) brings that step's own help and validation
            if (!nested.contains(field)) {
                Class<?> owner = sharedHelp.getOrDefault(field, type);
                assertNotNull(owner.getResource(owner.getSimpleName() + "/help-" + field + ".html"),
                        owner.getSimpleName() + " has no help-" + field + ".html");
                assertTrue(owner == type || type.getResource(type.getSimpleName() + "/help-" + field + ".html")
                        == null, type.getSimpleName() + " has its own help-" + field + ".html although it shows "
                        + owner.getSimpleName() + "'s: one text per option");
            }
            boolean pipelineOnly = PIPELINE_ONLY.getOrDefault(type, Set.of()).contains(field);
            assertEquals(!pipelineOnly, entries.contains(field), type.getSimpleName() + " config.jelly entry for "
                    + field);
            String suffix = Character.toUpperCase(field.charAt(0)) + field.substring(1);
            Method getter = findGetter(type, suffix);
            assertNotNull(getter, type.getSimpleName() + " has no getter for " + field);
        }
        entries.removeAll(fields(type));
        assertEquals(Set.of(), entries, type.getSimpleName() + " config.jelly has entries for no field");
    }

    private static Set<String> fieldsOf(Document config, String tag) {
        Set<String> fields = new HashSet<>();
        NodeList nodes = config.getElementsByTagNameNS("/lib/form", tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            String field = ((Element) nodes.item(i)).getAttribute("field");
            if (!field.isEmpty()) {
                fields.add(field);
            }
        }
        return fields;
    }

    /** The options whose help a descriptor takes from another step (Descriptor#addHelpFileRedirect). */
    @SuppressWarnings("unchecked")
    private static Map<String, Class<?>> sharedHelp(Class<?> type) throws Exception {
        for (Class<?> nestedClass : type.getDeclaredClasses()) {
            if (nestedClass.getSimpleName().equals("DescriptorImpl")) {
                try {
                    java.lang.reflect.Field shared = nestedClass.getDeclaredField("SHARED_HELP");
                    return (Map<String, Class<?>>) shared.get(null);
                } catch (NoSuchFieldException e) {
                    return Map.of();
                }
            }
        }
        return Map.of();
    }

    /** Each builder and the wrapper bind their step's own configuration, so an option is added in one place. */
    @ParameterizedTest
    @ValueSource(classes = {MysqlStartBuilder.class, MysqlDumpBuilder.class, MysqlStopBuilder.class,
            MysqlRestoreBuilder.class, WithMysqlBuildWrapper.class})
    void freestyleFormsBindTheirStepsConfiguration(Class<?> type) throws Exception {
        List<String> fields = fields(type);
        Constructor<?> constructor = type.getConstructors()[0];
        assertEquals(1, constructor.getParameterCount(), constructor.toString());
        Class<?> step = constructor.getParameterTypes()[0];
        assertTrue(org.jenkinsci.plugins.workflow.steps.Step.class.isAssignableFrom(step), step + " is not a step");
        fields.remove(0);
        fields.remove("password"); // a stored Secret: a freestyle job's own
        assertEquals(List.of(), fields, type.getSimpleName() + " binds options of its own besides its step's");
        for (java.lang.reflect.Field field : type.getDeclaredFields()) {
            assertTrue(Modifier.isStatic(field.getModifiers()) || field.getType() == step
                    || field.getType() == hudson.util.Secret.class, type.getSimpleName() + "." + field.getName()
                    + " duplicates an option of " + step.getSimpleName());
        }
    }

    /** Of the help files, no two say the same: a shared option is described once and shown everywhere. */
    @org.junit.jupiter.api.Test
    void everyHelpTextIsWrittenOnce() throws Exception {
        Path resources = Path.of("src/main/resources/io/jenkins/plugins/mysqllifecycle");
        Map<String, Path> seen = new java.util.HashMap<>();
        List<Path> helpFiles;
        try (java.util.stream.Stream<Path> files = Files.walk(resources)) {
            helpFiles = files.filter(file -> file.getFileName().toString().startsWith("help")).sorted().toList();
        }
        assertTrue(helpFiles.size() > 20, "found almost no help files in " + resources.toAbsolutePath());
        for (Path file : helpFiles) {
            String text = Files.readString(file).replaceAll("\\s+", " ").strip();
            Path earlier = seen.putIfAbsent(text, file);
            assertNull(earlier, file + " repeats " + earlier + ": point the form at one of them instead");
        }
    }

    private static Method findGetter(Class<?> type, String suffix) {
        for (String prefix : List.of("get", "is")) {
            try {
                return type.getMethod(prefix + suffix);
            } catch (NoSuchMethodException e) {
                // try the other prefix
            }
        }
        return null;
    }

    @ParameterizedTest
    @ValueSource(classes = {MysqlStartStep.DescriptorImpl.class, MysqlDumpStep.DescriptorImpl.class,
            MysqlStopStep.DescriptorImpl.class, SshOptions.DescriptorImpl.class, WithMysqlStep.DescriptorImpl.class,
            MysqlRestoreStep.DescriptorImpl.class})
    void everyWebMethodIsPostAndEveryCheckTakesTheJobForItsPermission(Class<?> descriptor) {
        int webMethods = 0;
        for (Method method : descriptor.getDeclaredMethods()) {
            if (!method.getName().startsWith("do") || !Modifier.isPublic(method.getModifiers())) {
                continue;
            }
            webMethods++;
            assertTrue(method.isAnnotationPresent(POST.class), method + " is not @POST");
            if (method.getName().startsWith("doFill") && method.getParameterCount() == 0) {
                continue; // a fixed list with nothing private, answered on every page (FillItemsTest)
            }
            boolean takesItem = false;
            for (Parameter parameter : method.getParameters()) {
                takesItem |= parameter.getType() == Item.class && parameter.isAnnotationPresent(AncestorInPath.class);
            }
            assertTrue(takesItem, method + " does not take the job (@AncestorInPath Item) to check Item.CONFIGURE");
        }
        assertTrue(webMethods > 0, descriptor + " has no web methods: nothing was checked");
    }

    /**
     * Jenkins saves a {@link hudson.util.Secret} field encrypted and shows it with f:password; a String field would be
     * saved and shown in clear.
     */
    @ParameterizedTest
    @ValueSource(classes = {MysqlDumpBuilder.class, MysqlDumpStep.class, MysqlStartBuilder.class, MysqlStopBuilder.class,
            SshOptions.class, MysqlRestoreBuilder.class, MysqlRestoreStep.class})
    void passwordsAreSecretsShownAsPasswordFields(Class<?> type) throws Exception {
        for (java.lang.reflect.Field field : type.getDeclaredFields()) {
            if (field.getName().toLowerCase(java.util.Locale.ROOT).matches(".*(password|passphrase)")) {
                assertEquals(hudson.util.Secret.class, field.getType(), type.getSimpleName() + "." + field.getName()
                        + " would be saved in clear");
                Element entry = entryFor(jelly(type, "config.jelly"), field.getName());
                assertNotNull(entry, "no form entry for " + field.getName());
                assertEquals(1, entry.getElementsByTagNameNS("/lib/form", "password").getLength(),
                        field.getName() + " is not shown with f:password");
            }
        }
    }

    private static Element entryFor(Document config, String field) {
        NodeList entries = config.getElementsByTagNameNS("/lib/form", "entry");
        for (int i = 0; i < entries.getLength(); i++) {
            if (field.equals(((Element) entries.item(i)).getAttribute("field"))) {
                return (Element) entries.item(i);
            }
        }
        return null;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ServersAction/summary.jelly", "DumpsAction/summary.jelly",
        "DumpTrendAction/floatingBox.jelly", "DumpAgesAction/index.jelly", "DumpAgeConfiguration/config.jelly"})
    void actionPagesAreWellFormed(String page) throws Exception {
        try (InputStream in = UiFilesTest.class.getResourceAsStream(page)) {
            assertNotNull(in, "missing " + page);
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            Document parsed = factory.newDocumentBuilder().parse(in); // throws on XML that is not well-formed
            assertTrue(parsed.getDocumentElement().getElementsByTagName("*").getLength() > 0, page + " is empty");
        }
    }

    /** The global setting has its form entry, its help and its getter, as every job option does. */
    @Test
    void theDumpAgeSettingHasAFormEntryAHelpFileAndAGetter() throws Exception {
        Document config = jelly(DumpAgeConfiguration.class, "config.jelly");
        for (Method setter : DumpAgeConfiguration.class.getMethods()) {
            if (!setter.isAnnotationPresent(DataBoundSetter.class)) {
                continue;
            }
            String field = Character.toLowerCase(setter.getName().charAt(3)) + setter.getName().substring(4);
            assertNotNull(entryFor(config, field), "no form entry for " + field);
            assertNotNull(DumpAgeConfiguration.class.getResource("DumpAgeConfiguration/help-" + field + ".html"),
                    "no help for " + field);
            assertNotNull(findGetter(DumpAgeConfiguration.class, setter.getName().substring(3)), field);
        }
        assertNotNull(entryFor(config, "staleAfterHours"));
        assertTrue(DumpAgeConfiguration.class.getMethod("doCheckStaleAfterHours", String.class)
                .isAnnotationPresent(POST.class));
    }
}
