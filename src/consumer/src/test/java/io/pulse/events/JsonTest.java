package io.pulse.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void readsTheMembersOfAFlatObjectAndSkipsNestedValues() {
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("schema", "{\"type\":\"string\"}\n\u00e9/");
        expected.put("id", 7L);
        expected.put("references", null);
        expected.put("ok", true);
        expected.put("ratio", 0.5);
        expected.put("none", null);
        assertEquals(
                expected,
                Json.object(
                        " { \"schema\" : \"{\\\"type\\\":\\\"string\\\"}\\n\\u00e9\\/\", \"id\":7,"
                                + " \"references\": [{\"name\": \"x]\"}, []], \"ok\": true, \"ratio\": 0.5, \"none\": null } "));
        assertEquals(Map.of(), Json.object("{}"));
    }

    @Test
    void quotesWhatItReadsBack() {
        String text = "a \"b\" \\ \n\t\u0001 é";
        assertEquals(Map.of("s", text), Json.object("{\"s\":" + Json.quote(text) + "}"));
        assertEquals("\"\\u0001\"", Json.quote("\u0001"));
    }

    @Test
    void somethingElseIsNoJsonObjectAndSaysWhere() {
        assertEquals(
                "not JSON: got '<' at offset 0 (expected: '{')",
                assertThrows(IllegalArgumentException.class, () -> Json.object("<html>"))
                        .getMessage());
        assertEquals(
                "not JSON: got the end at offset 8 (expected: ',' or '}')",
                assertThrows(IllegalArgumentException.class, () -> Json.object("{\"id\": 1"))
                        .getMessage());
        assertEquals(
                "not JSON: got 'x' at offset 10 (expected: the end)",
                assertThrows(IllegalArgumentException.class, () -> Json.object("{\"id\": 1} x"))
                        .getMessage());
    }
}
