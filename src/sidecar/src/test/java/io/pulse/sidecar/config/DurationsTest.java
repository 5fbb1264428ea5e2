package io.pulse.sidecar.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void readsTheFormsOperatorsWrite() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
        assertEquals(Duration.ofSeconds(1), Durations.parse(" 1 s "));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
        assertEquals(Duration.ofNanos(1500), Durations.parse("1500ns"));
        assertEquals(Duration.ofNanos(250_000), Durations.parse("250us"));
        assertEquals(Duration.ofMillis(500), Durations.parse("PT0.5S"));
    }

    @Test
    void refusesAnythingElseSayingWhatItExpects() {
        for (String bad : new String[] {"", "5", "5 parsecs", "-1s", "1.s", "PTx", "1e3ms"}) {
            assertEquals(
                    "expected " + Durations.EXPECTED,
                    assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad))
                            .getMessage(),
                    bad);
        }
    }

    @Test
    void formatsWhatItParses() {
        for (String text : new String[] {"1s", "250ms", "1500us", "7ns", "2m", "1h", "0s"}) {
            assertEquals(text, Durations.format(Durations.parse(text)));
        }
    }
}
