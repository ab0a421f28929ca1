package io.jenkins.plugins.mysqllifecycle.engine.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The page's text rules, apart from a server: what CliReportTest renders in Chromium rests on them. */
class HtmlReportTest {
    @Test
    void markupInANameBecomesTextInContentAndInAttributes() {
        assertEquals("&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &#39;q&#39;",
                HtmlReport.escape("<img src=x onerror=\"alert(1)\"> & 'q'"));
    }

    @Test
    void charactersNoDocumentMayHoldBecomeTheReplacementCharacterAndOthersStay() {
        assertEquals("a\ufffdb\ufffdc\ufffd", HtmlReport.escape("a\u0000b\u001bc\ud800"));
        assertEquals("Zürich 🦀\ttab\nline", HtmlReport.escape("Zürich 🦀\ttab\nline"));
    }

    @Test
    void gridStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertEquals(1, HtmlReport.niceStep(0.8));
        assertEquals(2, HtmlReport.niceStep(1.2));
        assertEquals(5, HtmlReport.niceStep(4.9));
        assertEquals(10, HtmlReport.niceStep(5.1));
        assertEquals(200, HtmlReport.niceStep(150));
        assertEquals(0.05, HtmlReport.niceStep(0.031), 1e-12);
        assertEquals(1, HtmlReport.niceStep(0), "an empty chart still has a step");
    }
}
