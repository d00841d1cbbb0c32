package dev.explain4j.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** What the command prints and returns for failures no ordinary input provokes in a test: one line, never a trace. */
class FailureMessageTest {
    private record Printed(int exit, String line) {
    }

    private static Printed failure(Throwable e) {
        StringWriter err = new StringWriter();
        int exit = Explain4j.failure(e, new PrintWriter(err, true));
        assertThat(err.toString().strip()).as("one line").doesNotContain("\n").doesNotContain("\tat ");
        return new Printed(exit, err.toString());
    }

    @Test
    void outOfMemoryIsABadInputThatSaysWhatToReduce() {
        Printed p = failure(new OutOfMemoryError("Java heap space"));

        assertThat(p.exit()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(p.line()).contains("out of memory").contains("--batch-size").contains("-Xmx");
    }

    @Test
    void overflowIsABadInput() {
        Printed p = failure(new ArithmeticException("long overflow"));

        assertThat(p.exit()).isEqualTo(Explain4j.BAD_INPUT);
        assertThat(p.line()).contains("too large").contains("long overflow");
    }

    @Test
    void anythingElseIsADefectToReport() {
        Printed p = failure(new NullPointerException("line one\nline two"));

        assertThat(p.exit()).isEqualTo(Explain4j.INTERNAL_ERROR);
        assertThat(p.line()).contains("internal error").contains("report").contains("line one").doesNotContain("line two");
    }
}
