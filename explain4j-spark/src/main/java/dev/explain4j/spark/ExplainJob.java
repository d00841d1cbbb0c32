package dev.explain4j.spark;

import dev.explain4j.global.GlobalImportance;
import dev.explain4j.io.JsonFiles;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stage as a job, for spark-submit or a plain {@code java} run in local mode:
 * <pre>
 * ExplainJob --model FILE --input CSV|PARQUET --method NAME --out PARQUET [--global FILE.json] [--master local[2]]
 *            [--input-col NAME (Parquet input)] [--header] [--background-file CSV] [--reference-file CSV]
 *            [--any-stage-param VALUE ...]      e.g. --steps 50 --samples 200 --seed 7 --target predicted --window 2,2
 *                                               --feature-names age,income,... (struct columns)
 * </pre>
 * A CSV input holds one row per line, every column a feature (as {@code explain4j explain} reads it); a Parquet input
 * names its vector or array column with --input-col. Every other {@code --name value} sets the stage's param of that
 * name. On bad input: one line naming what is wrong, exit code 2 (no stack trace).
 */
public final class ExplainJob {
    private ExplainJob() {
    }

    public static void main(String[] args) {
        SparkSession spark = null;
        try {
            Map<String, String> options = parse(args);
            SparkSession.Builder builder = SparkSession.builder().appName("explain4j");
            if (options.containsKey("master")) {
                builder.master(options.remove("master")).config("spark.ui.enabled", "false");
            }
            spark = builder.getOrCreate();
            run(spark, options);
        } catch (RuntimeException e) {
            System.err.println("explain4j-spark: " + rootMessage(e));
            if (spark != null) {
                spark.stop();
            }
            System.exit(2);
        }
        spark.stop();
    }

    static void run(SparkSession spark, Map<String, String> options) {
        String input = required(options, "input");
        String out = required(options, "out");
        String global = options.remove("global");
        boolean header = options.remove("header") != null;
        Dataset<Row> rows;
        if (input.endsWith(".parquet")) {
            rows = spark.read().parquet(input);
        } else {
            Dataset<Row> csv = spark.read().option("header", header).option("inferSchema", true).csv(input);
            options.putIfAbsent("input-col", "features");
            rows = new VectorAssembler().setInputCols(csv.columns()).setOutputCol(options.get("input-col")).transform(csv);
        }
        AttributionTransformer stage = new AttributionTransformer().setModelPath(required(options, "model"))
                .setMethod(required(options, "method"));
        String background = options.remove("background-file");
        if (background != null) {
            stage.setBackgroundFile(background);
        }
        String reference = options.remove("reference-file");
        if (reference != null) {
            stage.setReferenceFile(reference);
        }
        options.forEach((name, value) -> set(stage, name, value));
        Dataset<Row> explained = stage.transform(rows);
        explained.write().parquet(out);
        if (global != null) {
            GlobalImportance importance = DistributedGlobalImportance.of(spark.read().parquet(out), stage.getOrDefault(stage.method()));
            JsonFiles.write(importance.toMap(null), Path.of(global));
        }
        System.out.println("explain4j-spark: " + stage.getOrDefault(stage.method()) + " written to " + out
                + (global == null ? "" : ", global importance to " + global));
    }

    /** --name value pairs; --header stands alone. */
    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "'; options are --name value");
            }
            String name = args[i].substring(2);
            if (name.equals("header")) {
                options.put(name, "true");
            } else if (i + 1 >= args.length) {
                throw new IllegalArgumentException("--" + name + " needs a value");
            } else {
                options.put(name, args[++i]);
            }
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.remove(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    /** A stage param by name, its value parsed as the param's type does (2,2 for an array param). */
    @SuppressWarnings("unchecked")
    private static void set(AttributionTransformer stage, String name, String value) {
        if (!stage.hasParam(name)) {
            throw new IllegalArgumentException("unknown option --" + name + "; the stage's params are "
                    + Arrays.stream(stage.params()).map(Param::name).sorted().toList());
        }
        Param<Object> param = (Param<Object>) stage.getParam(name);
        try {
            Object parsed = param.getClass() == Param.class ? value
                    : (Object) param instanceof StringArrayParam ? value.split(",", -1)
                    : param.jsonDecode(value.contains(",") && !value.startsWith("[") ? "[" + value + "]" : value);
            stage.set(param, parsed);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("--" + name + " '" + value + "': " + rootMessage(e), e);
        }
    }

    /**
     * The first line of the outermost IllegalArgumentException (the stage's own message, naming the column, row or
     * option), else of the innermost cause: Spark wraps a task's failure in layers of its own.
     */
    static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (!(cause instanceof IllegalArgumentException) && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return message.lines().findFirst().orElse(message);
    }
}
