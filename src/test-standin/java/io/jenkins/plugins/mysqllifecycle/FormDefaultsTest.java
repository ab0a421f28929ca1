package io.jenkins.plugins.mysqllifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kohsuke.stapler.DataBoundConstructor;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A form control's {@code default} is what a new configuration shows; Jenkins' lib/form/textbox.jelly and number.jelly
 * fill the control with {@code instance[field] ?: default}. A default that differs from the field's own Java default
 * changes the configuration on every save (and puts the value into every generated snippet), so each must be equal.
 */
class FormDefaultsTest {
    @ParameterizedTest
    @ValueSource(classes = {MysqlStartStep.class, MysqlDumpStep.class, MysqlStopStep.class, MysqlRestoreStep.class,
            WithMysqlStep.class, SshOptions.class})
    void everyFormDefaultIsTheFieldsOwnDefault(Class<?> type) throws Exception {
        Object fresh = newInstance(type);
        Document config = config(type);
        NodeList entries = config.getElementsByTagNameNS("/lib/form", "entry");
        int defaults = 0;
        for (int i = 0; i < entries.getLength(); i++) {
            Element entry = (Element) entries.item(i);
            String field = entry.getAttribute("field");
            for (Element control : children(entry)) {
                if (!control.hasAttribute("default") || field.isEmpty()) {
                    continue;
                }
                defaults++;
                Object javaDefault = getter(type, field).invoke(fresh);
                assertEquals(control.getAttribute("default"), String.valueOf(javaDefault), type.getSimpleName() + "'s"
                        + " form shows " + field + " as " + control.getAttribute("default") + " but a new "
                        + type.getSimpleName() + " holds " + javaDefault);
            }
        }
        assertTrue(defaults > 0 || type == MysqlStopStep.class || type == SshOptions.class,
                "no form defaults found in " + type.getSimpleName() + ": nothing was checked");
    }

    /** A configuration as the data-bound constructor makes it, with placeholder values for required arguments. */
    private static Object newInstance(Class<?> type) throws Exception {
        for (Constructor<?> constructor : type.getConstructors()) {
            if (constructor.isAnnotationPresent(DataBoundConstructor.class)) {
                Object[] arguments = new Object[constructor.getParameterCount()];
                for (int i = 0; i < arguments.length; i++) {
                    arguments[i] = constructor.getParameterTypes()[i] == String.class ? "required" : null;
                }
                return constructor.newInstance(arguments);
            }
        }
        throw new AssertionError(type + " has no @DataBoundConstructor");
    }

    private static Method getter(Class<?> type, String field) throws NoSuchMethodException {
        String suffix = Character.toUpperCase(field.charAt(0)) + field.substring(1);
        try {
            return type.getMethod("get" + suffix);
        } catch (NoSuchMethodException e) {
            return type.getMethod("is" + suffix);
        }
    }

    private static List<Element> children(Element entry) {
        List<Element> controls = new ArrayList<>();
        NodeList nodes = entry.getElementsByTagName("*");
        for (int i = 0; i < nodes.getLength(); i++) {
            controls.add((Element) nodes.item(i));
        }
        return controls;
    }

    private static Document config(Class<?> type) throws Exception {
        try (InputStream in = type.getResourceAsStream(type.getSimpleName() + "/config.jelly")) {
            assertNotNull(in, type.getSimpleName() + " has no config.jelly");
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(in);
        }
    }
}
