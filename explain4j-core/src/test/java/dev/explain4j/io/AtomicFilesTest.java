package dev.explain4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private long filesIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.count();
        }
    }

    @Test
    void writesTheContentWithThePermissionsOfTheUmask() throws IOException {
        Path out = dir.resolve("out.txt");
        Path ordinary = Files.createFile(dir.resolve("ordinary"));

        AtomicFiles.write(out, w -> w.write("hello\n"));

        assertThat(out).hasContent("hello");
        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(Files.getPosixFilePermissions(ordinary));
        assertThat(filesIn(dir)).isEqualTo(2);
    }

    @Test
    void aReplacedFileKeepsItsMode() throws IOException {
        Path out = Files.writeString(dir.resolve("out.txt"), "old\n");
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw----r--"));

        AtomicFiles.write(out, w -> w.write("new\n"));

        assertThat(out).hasContent("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw----r--");
    }

    @Test
    void stalePartialFilesOfTheDestinationAreRemovedButNotThoseOfARunningWriter() throws IOException {
        Path out = dir.resolve("r.csv");
        Path deadWriter = Files.writeString(dir.resolve(".r.csv.2147483647-42.partial"), "half");
        Path liveWriter = Files.writeString(dir.resolve(".r.csv." + ProcessHandle.current().parent().orElseThrow().pid()
                + "-7.partial"), "half");
        Path otherFile = Files.writeString(dir.resolve(".s.csv.2147483647-42.partial"), "half");
        Path earlierVersion = Files.writeString(dir.resolve(".r.csv.8735609120374561234.partial"), "half");

        AtomicFiles.write(out, w -> w.write("1\n"));

        assertThat(deadWriter).doesNotExist();
        assertThat(earlierVersion).doesNotExist();
        assertThat(liveWriter).exists();
        assertThat(otherFile).exists();
    }

    @Test
    void allOrNothingWritesNoFileWhenALaterOneFails() throws IOException {
        Path first = dir.resolve("r.csv");
        Path replaced = Files.writeString(dir.resolve("r.metrics.json"), "old\n");

        assertThatThrownBy(() -> AtomicFiles.allOrNothing(() -> {
            AtomicFiles.write(first, w -> w.write("1\n"));
            AtomicFiles.write(replaced, w -> {
                throw new IOException("disk full");
            });
        })).isInstanceOf(OutputFileException.class);

        assertThat(first).doesNotExist();
        assertThat(replaced).hasContent("old");
        assertThat(filesIn(dir)).isEqualTo(1);
    }

    @Test
    void allOrNothingWritesEveryFileWhenAllSucceed() throws IOException {
        AtomicFiles.allOrNothing(() -> {
            AtomicFiles.write(dir.resolve("a.txt"), w -> w.write("a"));
            AtomicFiles.write(dir.resolve("b.txt"), w -> w.write("b"));
            assertThat(dir.resolve("a.txt")).doesNotExist(); // nothing appears before the group is complete
        });

        assertThat(dir.resolve("a.txt")).hasContent("a");
        assertThat(dir.resolve("b.txt")).hasContent("b");
        assertThat(filesIn(dir)).isEqualTo(2);
    }

    @Test
    void failureMidWayLeavesNoFileBehind() throws IOException {
        Path out = dir.resolve("out.csv");

        assertThatThrownBy(() -> AtomicFiles.write(out, w -> {
            w.write("1,2,3\n".repeat(10_000));
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");

        assertThat(out).doesNotExist();
        assertThat(filesIn(dir)).isZero();
    }

    @Test
    void failureMidWayKeepsTheOldFileUntouched() throws IOException {
        Path out = dir.resolve("out.csv");
        Files.writeString(out, "old\n");

        assertThatThrownBy(() -> AtomicFiles.write(out, w -> {
            w.write("new");
            throw new IOException("disk full");
        })).isInstanceOf(OutputFileException.class).hasMessage("cannot write " + out + ": disk full");

        assertThat(out).hasContent("old");
        assertThat(filesIn(dir)).isEqualTo(1);
    }

    @Test
    void replacesAnExistingFile() throws IOException {
        Path out = dir.resolve("out.csv");
        Files.writeString(out, "old\n");

        AtomicFiles.write(out, w -> w.write("new\n"));

        assertThat(out).hasContent("new");
    }

    @Test
    void refusesMissingDirectory() {
        Path out = dir.resolve("missing/out.csv");

        assertThatThrownBy(() -> AtomicFiles.write(out, w -> w.write("x")))
                .isInstanceOf(OutputFileException.class)
                .hasMessage("cannot write " + out + ": directory " + dir.resolve("missing") + " does not exist");
    }

    @Test
    void refusesAFileAsDirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("plain.txt"), "x");
        Path out = file.resolve("out.csv");

        assertThatThrownBy(() -> AtomicFiles.write(out, w -> w.write("x")))
                .hasMessage("cannot write " + out + ": " + file + " is not a directory");
    }

    @Test
    void refusesADirectoryAsDestination() throws IOException {
        Path sub = Files.createDirectory(dir.resolve("sub"));

        assertThatThrownBy(() -> AtomicFiles.write(sub, w -> w.write("x")))
                .hasMessage("cannot write " + sub + ": it is a directory; expected a file name");
    }

    @Test
    void refusesUnwritableDirectory() throws IOException {
        // root may write anywhere, so the permission cannot be tested under root
        assumeFalse("root".equals(System.getProperty("user.name")), "running as root");
        Path locked = Files.createDirectory(dir.resolve("locked"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("r-xr-xr-x"));
        Path out = locked.resolve("out.csv");
        try {
            assertThatThrownBy(() -> AtomicFiles.write(out, w -> w.write("x")))
                    .hasMessage("cannot write " + out + ": directory " + locked + " is not writable");
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
