package dev.explain4j.report;

import org.owasp.encoder.Encode;

/** The two ways a string enters the report: as element text or as a quoted attribute value, both escaped. */
final class Html {

    private Html() {
    }

    /** Escapes for element content (and is also safe in a quoted attribute): &amp; &lt; &gt; " ' are encoded. */
    static String text(String s) {
        return Encode.forHtml(s == null ? "" : s);
    }

    static String attr(String s) {
        return Encode.forHtmlAttribute(s == null ? "" : s);
    }

    /** A number for people: four significant digits (see {@link Numbers}). */
    static String number(double v) {
        return Numbers.plain(v, 4);
    }
}
