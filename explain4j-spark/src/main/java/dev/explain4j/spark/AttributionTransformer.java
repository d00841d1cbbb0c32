package dev.explain4j.spark;

import dev.explain4j.core.MethodInfo;
import dev.explain4j.core.MethodRegistry;
import dev.explain4j.io.CsvInputReader;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.DoubleArrayArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Spark ML stage that adds attribution columns to a DataFrame: each row of the input column explained by one
 * method of the {@link MethodRegistry}, as the library and {@code explain4j explain} would explain it.
 *
 * <pre>{@code
 * AttributionTransformer ig = new AttributionTransformer()
 *         .setModelPath("hdfs:///models/credit.zip").setInputCol("features")
 *         .setMethod("integrated-gradients").setSteps(50);
 * ig.transform(rows).write().parquet("hdfs:///explained");
 * }</pre>
 *
 * <p>Parameters carry the names of the library's method options ({@link MethodInfo#options()}: reference,
 * background, steps, integration, layer, window, stride, samples, seed, batch-size); an option the method would ignore
 * is refused by name, as the command line refuses it. The model file is read once on the driver through Hadoop's
 * file systems (local, HDFS, S3, ...) and broadcast; each executor JVM builds one {@code NetworkModel} from it and
 * shares it between its tasks ({@link ExecutorModels}). Rows are explained partition by partition, in chunks sized
 * by the model's memory budget, without a shuffle ({@link PartitionExplainer}).
 *
 * <p>Output columns ({@link OutputColumns}): {@code attributions} (array of doubles, the row's values flattened
 * row-major; with {@link #setFeatureNames} a struct of one double per name), {@code explained_target}, {@code f_x},
 * {@code f_reference}, {@code completeness_delta} for methods that promise completeness, {@code standard_errors} for
 * stochastic methods (null where the method has none; shaped like attributions).
 *
 * <p>Stochastic methods draw a row's randomness from the seed and the row's content (the library's {@code RowRandom})
 * or, with {@link #setRowKeyCol}, from the seed and that column: never from partitions, so reruns, retried tasks and
 * any number of partitions give the same numbers.
 */
public final class AttributionTransformer extends Transformer implements DefaultParamsWritable {
    /** The most rows a reference or background DataFrame or file may bring to the driver (they are broadcast). */
    public static final int MAX_REFERENCE_ROWS = 10_000;

    private final String uid;

    private final Param<String> modelPath;
    private final Param<String> graphOutput;
    private final Param<String> inputCol;
    private final Param<String> method;
    private final Param<String> target;
    private final Param<String> targetCol;
    private final Param<String> outputSpace;
    private final Param<String> precision;
    private final Param<String> rowKeyCol;
    private final LongParam memoryBudget;
    private final IntParam chunkRows;
    private final StringArrayParam featureNames;
    // the method options, named as MethodRegistry names them
    private final Param<String> reference;
    private final DoubleArrayArrayParam referenceRows;
    private final DoubleArrayArrayParam background;
    private final IntParam steps;
    private final Param<String> integration;
    private final Param<String> layer;
    private final IntArrayParam window;
    private final IntArrayParam stride;
    private final IntParam samples;
    private final LongParam seed;
    private final IntParam batchSize;

    public AttributionTransformer(String uid) {
        // a param records its parent's uid when made: the uid comes first
        this.uid = uid;
        modelPath = new Param<>(this, "model-path",
                "the DL4J model zip or Keras .h5 file, as a path Spark's Hadoop file systems read (file:, hdfs:, s3a:, ...)");
        graphOutput = new Param<>(this, "graph-output",
                "for a graph with several outputs, the output to explain");
        inputCol = new Param<>(this, "input-col",
                "the column to explain: an ML vector or an array of numbers (integer token ids for a token model), one row"
                        + " flattened row-major in the model's input layout");
        method = new Param<>(this, "method", "the method's name, as MethodRegistry lists it");
        target = new Param<>(this, "target",
                "the output to explain: 'predicted' (each row's predicted class) or an output index");
        targetCol = new Param<>(this, "target-col",
                "a column of integer output indices, one per row (instead of target)");
        outputSpace = new Param<>(this, "output-space", "probability or logit");
        precision = new Param<>(this, "precision", "float or double: the type the network is computed in");
        rowKeyCol = new Param<>(this, "row-key-col",
                "a column whose value keys a row's random draws (default: the row's content)");
        memoryBudget = new LongParam(this, "memory-budget",
                "bytes the activations of one engine pass may take on an executor (default: the library's)");
        chunkRows = new IntParam(this, "chunk-rows",
                "rows handed to the engine per call (default 0: as many as the memory budget allows, at most "
                        + PartitionExplainer.MAX_CHUNK_ROWS + "); 1 explains every row alone");
        featureNames = new StringArrayParam(this, "feature-names",
                "names of a row's values, flattened row-major; when set, attributions and standard_errors are structs"
                        + " with one double field per name instead of arrays");
        reference = new Param<>(this, "reference",
                "zero, blur (images), or rows (the reference-rows param); default: the method's own");
        referenceRows = new DoubleArrayArrayParam(this, "reference-rows",
                "one reference row, flattened like the input column");
        background = new DoubleArrayArrayParam(this, "background",
                "background rows, flattened like the input column (Shapley values, expected gradients, LIME)");
        steps = new IntParam(this, "steps", "integration steps (integrated-gradients)");
        integration = new Param<>(this, "integration",
                "integration rule (integrated-gradients): gausslegendre, riemann-left, riemann-right, riemann-middle, riemann-trapezoid");
        layer = new Param<>(this, "layer", "a layer name or index (layer methods, grad-cam)");
        window = new IntArrayParam(this, "window", "occlusion window, or LIME image cell (H,W)");
        stride = new IntArrayParam(this, "stride", "occlusion strides");
        samples = new IntParam(this, "samples", "samples of a stochastic method");
        seed = new LongParam(this, "seed", "seed of a stochastic method (default 0)");
        batchSize = new IntParam(this, "batch-size", "rows per model call of perturbation methods");
        setDefault(target, "predicted");
        setDefault(outputSpace, "probability");
        setDefault(precision, "float");
        setDefault(chunkRows, 0);
        setDefault(seed, 0L);
    }

    public AttributionTransformer() {
        this(Identifiable.randomUID("explain4j"));
    }

    @Override
    public String uid() {
        return uid;
    }

    public static MLReader<AttributionTransformer> read() {
        return new DefaultParamsReader<>();
    }

    public static AttributionTransformer load(String path) {
        return read().load(path);
    }

    // parameters as Spark lists them (Params finds them through these public accessors)

    public Param<String> modelPath() {
        return modelPath;
    }

    public Param<String> graphOutput() {
        return graphOutput;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> method() {
        return method;
    }

    public Param<String> target() {
        return target;
    }

    public Param<String> targetCol() {
        return targetCol;
    }

    public Param<String> outputSpace() {
        return outputSpace;
    }

    public Param<String> precision() {
        return precision;
    }

    public Param<String> rowKeyCol() {
        return rowKeyCol;
    }

    public LongParam memoryBudget() {
        return memoryBudget;
    }

    public IntParam chunkRows() {
        return chunkRows;
    }

    public StringArrayParam featureNames() {
        return featureNames;
    }

    public Param<String> reference() {
        return reference;
    }

    public DoubleArrayArrayParam referenceRows() {
        return referenceRows;
    }

    public DoubleArrayArrayParam background() {
        return background;
    }

    public IntParam steps() {
        return steps;
    }

    public Param<String> integration() {
        return integration;
    }

    public Param<String> layer() {
        return layer;
    }

    public IntArrayParam window() {
        return window;
    }

    public IntArrayParam stride() {
        return stride;
    }

    public IntParam samples() {
        return samples;
    }

    public LongParam seed() {
        return seed;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    // setters

    public AttributionTransformer setModelPath(String path) {
        return with(modelPath, path);
    }

    public AttributionTransformer setGraphOutput(String output) {
        return with(graphOutput, output);
    }

    public AttributionTransformer setInputCol(String column) {
        return with(inputCol, column);
    }

    public AttributionTransformer setMethod(String name) {
        MethodRegistry.get(name);
        return with(method, name);
    }

    /** "predicted" or an output index. */
    public AttributionTransformer setTarget(String value) {
        return with(target, value);
    }

    public AttributionTransformer setTarget(int index) {
        return with(target, Integer.toString(index));
    }

    public AttributionTransformer setTargetCol(String column) {
        return with(targetCol, column);
    }

    public AttributionTransformer setOutputSpace(String space) {
        return with(outputSpace, space);
    }

    public AttributionTransformer setPrecision(String type) {
        return with(precision, type);
    }

    public AttributionTransformer setRowKeyCol(String column) {
        return with(rowKeyCol, column);
    }

    public AttributionTransformer setMemoryBudget(long bytes) {
        return with(memoryBudget, bytes);
    }

    public AttributionTransformer setChunkRows(int rows) {
        return with(chunkRows, rows);
    }

    /** Names of a row's values: attributions then come as a struct of named doubles, e.g. {@code attributions.age}. */
    public AttributionTransformer setFeatureNames(String... names) {
        return with(featureNames, names);
    }

    /** zero, blur or rows (then {@link #setReferenceRows}). */
    public AttributionTransformer setReference(String kind) {
        return with(reference, kind);
    }

    /** One reference row, flattened like the input column; sets the reference to "rows". */
    public AttributionTransformer setReferenceRows(double[]... rows) {
        with(reference, "rows");
        return with(referenceRows, rows);
    }

    /** The reference row from the input column of a one-row DataFrame. */
    public AttributionTransformer setReferenceRows(Dataset<?> rows, String column) {
        return setReferenceRows(collectRows(rows, column, "reference"));
    }

    /** The reference row from a CSV file (one row, optional header), read through Spark's Hadoop file systems. */
    public AttributionTransformer setReferenceFile(String path) {
        return setReferenceRows(readCsv(path));
    }

    /** Background rows, flattened like the input column. */
    public AttributionTransformer setBackground(double[]... rows) {
        return with(background, rows);
    }

    /** Background rows from a column of a small DataFrame (at most {@link #MAX_REFERENCE_ROWS} rows). */
    public AttributionTransformer setBackground(Dataset<?> rows, String column) {
        return setBackground(collectRows(rows, column, "background"));
    }

    /** Background rows from a CSV file (optional header), read through Spark's Hadoop file systems. */
    public AttributionTransformer setBackgroundFile(String path) {
        return setBackground(readCsv(path));
    }

    public AttributionTransformer setSteps(int value) {
        return with(steps, value);
    }

    public AttributionTransformer setIntegration(String rule) {
        return with(integration, rule);
    }

    public AttributionTransformer setLayer(String name) {
        return with(layer, name);
    }

    public AttributionTransformer setWindow(int... values) {
        return with(window, values);
    }

    public AttributionTransformer setStride(int... values) {
        return with(stride, values);
    }

    public AttributionTransformer setSamples(int value) {
        return with(samples, value);
    }

    public AttributionTransformer setSeed(long value) {
        return with(seed, value);
    }

    public AttributionTransformer setBatchSize(int value) {
        return with(batchSize, value);
    }

    private <T> AttributionTransformer with(Param<T> param, T value) {
        set(param, value);
        return this;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return OutputColumns.add(schema, info(), optional(featureNames), inputColumn(schema), column(schema, targetCol),
                column(schema, rowKeyCol));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType output = transformSchema(dataset.schema());
        SparkSession spark = dataset.sparkSession();
        byte[] bytes = readFile(getOrDefault(required(modelPath)), "model-path");
        ExplainSpec spec = spec(dataset.schema(), ExecutorModels.key(bytes));
        // the stage's settings are checked against the model on the driver, so a bad option fails before any task runs
        spec.check(ExecutorModels.get(spec, () -> bytes));
        Broadcast<byte[]> model = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(bytes);
        return dataset.toDF().mapPartitions(new PartitionExplainer(spec, model), Encoders.row(output));
    }

    private ExplainSpec spec(StructType schema, String modelKey) {
        MethodInfo info = info();
        refuseOptionsTheMethodIgnores(info);
        if (isSet(targetCol) && isSet(target)) {
            throw new IllegalArgumentException("target and target-col both say what to explain; set one");
        }
        String targetValue = getOrDefault(target);
        dev.explain4j.model.Target.parse(targetValue, java.util.List.of());
        int chunk = (Integer) getOrDefault(chunkRows);
        if (chunk < 0) {
            throw new IllegalArgumentException("chunk-rows must be ≥ 0 (0 = from the memory budget), got " + chunk);
        }
        return new ExplainSpec(modelKey, optional(graphOutput), getOrDefault(precision), getOrDefault(outputSpace),
                (Long) optional(memoryBudget), info.name(), optional(reference), optional(referenceRows),
                optional(background), (Integer) optional(steps), optional(integration), optional(layer),
                optional(window), optional(stride), (Integer) optional(samples), (Long) getOrDefault(seed),
                (Integer) optional(batchSize), targetValue, inputColumn(schema), column(schema, targetCol),
                column(schema, rowKeyCol), getOrDefault(inputCol), chunk, optional(featureNames));
    }

    /** An option given to a method that would ignore it is a mistake to report, not to drop silently. */
    private void refuseOptionsTheMethodIgnores(MethodInfo info) {
        Map<String, Param<?>> options = new LinkedHashMap<>();
        options.put("reference", reference);
        options.put("background", background);
        options.put("steps", steps);
        options.put("integration", integration);
        options.put("layer", layer);
        options.put("window", window);
        options.put("stride", stride);
        options.put("samples", samples);
        options.put("seed", seed);
        options.put("batch-size", batchSize);
        options.forEach((option, param) -> {
            if (isSet(param) && !info.options().contains(option)) {
                throw new IllegalArgumentException(option + " does not apply to " + info.name() + "; it takes "
                        + (info.options().isEmpty() ? "no method options" : info.options().stream().sorted().toList()));
            }
        });
    }

    private MethodInfo info() {
        return MethodRegistry.get(getOrDefault(required(method)));
    }

    private <T> Param<T> required(Param<T> param) {
        if (!isDefined(param)) {
            throw new IllegalArgumentException(param.name() + " is not set");
        }
        return param;
    }

    private <T> T optional(Param<T> param) {
        return isDefined(param) ? getOrDefault(param) : null;
    }

    private int inputColumn(StructType schema) {
        int index = column(schema, required(inputCol));
        InputColumn.checkType(schema.fields()[index], "input-col");
        return index;
    }

    /** The column a param names, or -1 when it is not set. */
    private int column(StructType schema, Param<String> param) {
        if (!isDefined(param)) {
            return -1;
        }
        String name = getOrDefault(param);
        List<String> names = List.of(schema.fieldNames());
        if (!names.contains(name)) {
            throw new IllegalArgumentException(param.name() + " '" + name + "' is not a column; the columns are " + names);
        }
        return names.indexOf(name);
    }

    private static double[][] collectRows(Dataset<?> rows, String column, String what) {
        Dataset<Row> df = rows.toDF();
        int index = List.of(df.schema().fieldNames()).indexOf(column);
        if (index < 0) {
            throw new IllegalArgumentException(what + " column '" + column + "' is not a column of the given DataFrame");
        }
        InputColumn.checkType(df.schema().fields()[index], what);
        List<Row> collected = df.select(column).limit(MAX_REFERENCE_ROWS + 1).collectAsList();
        if (collected.size() > MAX_REFERENCE_ROWS) {
            throw new IllegalArgumentException(what + ": more than " + MAX_REFERENCE_ROWS + " rows; it is broadcast to"
                    + " every executor, summarise it first (e.g. a sample or k-means centres)");
        }
        double[][] out = new double[collected.size()][];
        for (int r = 0; r < out.length; r++) {
            out[r] = InputColumn.values(collected.get(r), 0, what, r);
        }
        return out;
    }

    private static double[][] readCsv(String path) {
        byte[] bytes = readFile(path, "file");
        try (Reader reader = new InputStreamReader(new java.io.ByteArrayInputStream(bytes), StandardCharsets.UTF_8)) {
            return CsvInputReader.anyWidth().read(reader, path).toMatrix();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The whole file, read on the driver through the Hadoop file system its path names. */
    private static byte[] readFile(String path, String what) {
        SparkSession spark = SparkSession.active();
        try {
            Path file = new Path(path);
            FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
            try (InputStream in = fs.open(file)) {
                return in.readAllBytes();
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " " + path + " cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public AttributionTransformer copy(ParamMap extra) {
        return defaultCopy(extra);
    }
}
