package dev.explain4j.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AtomicFilesTest {

    @Test
    void aFailureHalfwayLeavesNoFileAndNoTemporary(@TempDir Path dir) {
        Path target = dir.resolve("report.html");
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("<html>half a page".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(target).doesNotExist();
        assertThat(listing(dir)).isEmpty();
    }

    @Test
    void aFailureKeepsThePreviousContent(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("report.html");
        AtomicFiles.write(target, out -> out.write("old".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write("new but broken".getBytes(StandardCharsets.UTF_8));
            throw new IllegalStateException("rendering failed");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(target).hasContent("old");
        assertThat(listing(dir)).containsExactly("report.html");
        AtomicFiles.write(target, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));
        assertThat(target).hasContent("new");
        assertThat(Files.isReadable(target)).isTrue();
    }

    @Test
    void aReportIntoAMissingDirectoryFailsWithoutCreatingAnything(@TempDir Path dir) {
        HtmlReport report = ReportFixtures.imageReport(1).build();
        Path target = dir.resolve("missing").resolve("report.html");
        assertThatThrownBy(() -> report.write(target)).isInstanceOf(IOException.class);
        assertThat(dir.resolve("missing")).doesNotExist();
    }

    private static java.util.List<String> listing(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
