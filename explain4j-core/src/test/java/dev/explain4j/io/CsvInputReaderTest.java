package dev.explain4j.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CsvInputReaderTest {
    @TempDir
    Path dir;

    private Path file(String name, String content) throws IOException {
        Path path = dir.resolve(name);
        Files.writeString(path, content, StandardCharsets.UTF_8);
        return path;
    }

    private static CsvInputException failure(String content) {
        return catchThrowableOfType(() -> CsvInputReader.anyWidth().read(new StringReader(content), "in.csv"),
                CsvInputException.class);
    }

    @Test
    void readsRowsWithoutHeader() throws IOException {
        InputTable table = CsvInputReader.anyWidth().read(file("x.csv", "1,2.5,-3\n4e2, .5 ,+6\n"));

        assertThat(table.featureNames()).isEmpty();
        assertThat(table.rows()).isEqualTo(2);
        assertThat(table.width()).isEqualTo(3);
        assertThat(table.toMatrix()).isEqualTo(new double[][] {{1, 2.5, -3}, {400, 0.5, 6}});
    }

    @Test
    void detectsHeaderOfNamesAndKeepsItsOrder() {
        InputTable table = CsvInputReader.anyWidth().read(new StringReader(
                "\uFEFFsepal length,\"sepal, width\",petal\n5.1,3.5,1.4\n"), "iris.csv");

        assertThat(table.featureNames()).contains(List.of("sepal length", "sepal, width", "petal"));
        assertThat(table.row(0)).containsExactly(5.1, 3.5, 1.4);
    }

    @Test
    void skipsBlankLinesButCountsThemInMessages() {
        CsvInputException e = failure("a,b\n\n1,2\n\n3,x\n");

        assertThat(e.line()).hasValue(5);
        assertThat(e.column()).hasValue(2);
        assertThat(e).hasMessage("in.csv: line 5, column 2 (b): \"x\" is not a number; expected a decimal number "
                + "such as 0.5 or -1.2e-3");
    }

    @Test
    void givesAFloatArrayOfTheRows() {
        INDArray array = CsvInputReader.anyWidth().read(new StringReader("1,2\n3,4\n"), "m").toArray(DataType.FLOAT);

        assertThat(array.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(array.shape()).containsExactly(2, 2);
        assertThat(array.getFloat(1, 0)).isEqualTo(3f);
    }

    @Test
    void refusesMissingFile() {
        Path missing = dir.resolve("nope.csv");

        assertThatThrownBy(() -> CsvInputReader.anyWidth().read(missing))
                .isInstanceOf(CsvInputException.class)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(missing + ": no such file");
    }

    @Test
    void refusesDirectory() {
        assertThatThrownBy(() -> CsvInputReader.anyWidth().read(dir))
                .hasMessage(dir + ": is a directory, expected a CSV file");
    }

    @Test
    void refusesEmptyFile() throws IOException {
        Path empty = file("empty.csv", "");

        assertThatThrownBy(() -> CsvInputReader.anyWidth().read(empty))
                .isInstanceOf(CsvInputException.class)
                .hasMessage(empty + ": is empty; expected rows of comma-separated numbers, one sample per row");
    }

    @Test
    void refusesFileOfBlankLinesAsEmpty() {
        assertThat(failure("\n\n  \n")).hasMessageContaining("in.csv: is empty");
    }

    @Test
    void refusesHeaderWithoutRows() {
        assertThat(failure("a,b,c\n")).hasMessage("in.csv: line 1: is a header of feature names, and no data rows "
                + "follow it; expected at least one row of numbers");
    }

    @Test
    void refusesNonNumericCellNamingLineAndColumn() {
        CsvInputException e = failure("1,2,3\n4,five,6\n");

        assertThat(e).hasMessageStartingWith("in.csv: line 2, column 2: \"five\" is not a number");
        assertThat(e.line()).hasValue(2);
        assertThat(e.column()).hasValue(2);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0x1p3    | \"0x1p3\" is not a number",
            "1.5f     | \"1.5f\" is not a number",
            "1e999    | \"1e999\" is too large for a double",
            "NaN      | the value is NaN; every value must be a finite number",
            "-nan     | the value is NaN",
            "Infinity | the value is infinite (Infinity); every value must be a finite number",
            "-inf     | the value is infinite (-inf)"})
    void refusesWhatIsNotAFiniteDecimal(String cell, String expected) {
        CsvInputException e = failure("1,2\n3," + cell + "\n");

        assertThat(e).hasMessageStartingWith("in.csv: line 2, column 2: " + expected);
    }

    @Test
    void refusesEmptyCell() {
        assertThat(failure("1,2,3\n4,,6\n")).hasMessage("in.csv: line 2, column 2: the cell is empty; expected a number");
    }

    @Test
    void refusesNaNInTheFirstRowRatherThanTakingItForAHeader() {
        assertThat(failure("NaN,1\n2,3\n")).hasMessage("in.csv: line 1, column 1: the value is NaN; every value must be a finite number");
    }

    @Test
    void refusesFirstRowMixingNamesAndNumbers() {
        assertThat(failure("1,abc,3\n4,5,6\n")).hasMessageStartingWith(
                "in.csv: line 1, column 2: \"abc\" is not a number; expected a decimal number such as 0.5 or -1.2e-3; "
                        + "the first row mixes numbers and text");
    }

    @Test
    void refusesEmptyHeaderName() {
        assertThat(failure("a,,c\n1,2,3\n")).hasMessage(
                "in.csv: line 1, column 2: the header has an empty name; expected a feature name in every column");
    }

    @Test
    void refusesRaggedRows() {
        CsvInputException e = failure("1,2,3\n4,5,6\n7,8\n");

        assertThat(e).hasMessage("in.csv: line 3: has 2 columns, expected 3 like the first row on line 1");
        assertThat(e.column()).isEmpty();
    }

    @Test
    void refusesRowLongerThanTheHeader() {
        assertThat(failure("a,b\n1,2,\n")).hasMessage("in.csv: line 2: has 3 columns, expected 2 like the header on line 1");
    }

    @Test
    void refusesWrongWidthForTheModel() {
        CsvInputReader reader = CsvInputReader.ofWidth(4, "the model takes 4 features");

        assertThatThrownBy(() -> reader.read(new StringReader("1,2,3\n"), "in.csv"))
                .hasMessage("in.csv: line 1: has 3 columns, expected 4 (the model takes 4 features)");
        assertThatThrownBy(() -> reader.read(new StringReader("a,b,c,d,e\n1,2,3,4,5\n"), "in.csv"))
                .hasMessage("in.csv: line 1: has 5 columns, expected 4 (the model takes 4 features)");
        assertThat(reader.read(new StringReader("1,2,3,4\n"), "in.csv").width()).isEqualTo(4);
    }

    @Test
    void hintsAtSemicolonSeparatedFiles() {
        assertThat(failure("1;2;3\n4;5;6\n"))
                .hasMessage("in.csv: line 1: has one column, \"1;2;3\": the file looks separated by semicolons; expected commas");
        assertThat(failure("a\tb\n1\t2\n")).hasMessageEndingWith("the file looks separated by tabs; expected commas");
    }

    @Test
    void keepsTheMessageOnOneLineWhenACellHoldsALineBreak() {
        CsvInputException e = failure("1,2\n3,\"4\n5\"\n");

        assertThat(e.getMessage()).doesNotContain("\n").startsWith("in.csv: line 2, column 2: \"4\\n5\" is not a number");
    }

    @Test
    void refusesBrokenQuoting() {
        assertThat(failure("1,2\n3,\"4\n")).hasMessageStartingWith("in.csv: is not valid CSV: ")
                .message().doesNotContain("\n");
    }

    @Test
    void refusesBinaryFileAsNotText() throws IOException {
        Path binary = dir.resolve("model.zip");
        Files.write(binary, new byte[] {'P', 'K', 3, 4, (byte) 0xC3, (byte) 0x28, 0, (byte) 0xFF});

        assertThatThrownBy(() -> CsvInputReader.anyWidth().read(binary))
                .hasMessage(binary + ": is not UTF-8 text; expected a CSV file of numbers");
    }

    @Test
    void splitsOffALabelColumn() {
        InputTable table = CsvInputReader.anyWidth().read(new StringReader("a,b,label\n1,2,0\n3,4,1\n"), "d");

        List<InputTable> parts = table.splitColumns(2);

        assertThat(parts.get(0).toMatrix()).isEqualTo(new double[][] {{1, 2}, {3, 4}});
        assertThat(parts.get(0).featureNames()).contains(List.of("a", "b"));
        assertThat(parts.get(1).toMatrix()).isEqualTo(new double[][] {{0}, {1}});
    }
}
