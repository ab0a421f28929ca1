package io.jenkins.plugins.mysqllifecycle.engine.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writtenObjectParsesBackToTheSameValues() {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("text", "quote \" backslash \\ newline \n tab \t bell \u0007 Zürich 🎉");
        object.put("long", 9_007_199_254_740_993L);
        object.put("negative", -3L);
        object.put("double", 2.5);
        object.put("yes", true);
        object.put("nothing", null);
        object.put("list", List.of("a", 1L, false));
        object.put("nested", Map.of("k", "v"));
        String json = Json.write(object);
        assertEquals(object, Json.parseObject(json));
        assertEquals(json, Json.write(Json.parseObject(json)), "key order or formatting changed");
    }

    @Test
    void controlCharactersAreEscaped() {
        assertEquals("{\"a\":\"\\u0001\\n\"}", Json.write(Map.of("a", "\u0001\n")));
    }

    @Test
    void malformedInputNamesTheOffset() {
        for (String bad : Arrays.asList("", "[]", "{\"a\":1", "{\"a\" 1}", "{\"a\":1} x", "{\"a\":tru}",
                "{\"a\":\"\\q\"}")) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> Json.parseObject(bad),
                    bad);
            assertEquals(true, error.getMessage().contains("offset"), error.getMessage());
        }
    }
}
