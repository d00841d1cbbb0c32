package dev.explain4j.model;

import org.bytedeco.javacpp.Pointer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.MemoryWorkspaceManager;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.MirroringPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * A DL4J network (MultiLayerNetwork or single-input ComputationGraph) seen by explain4j, with the gradient engine:
 * for a batch of rows and a target per row, ∂f_target/∂x and, for a named layer, its activations and ∂f_target/∂a.
 *
 * <p>The user's network is never run or changed: explaining happens on copies made from a cloned configuration that
 * share the user's parameter buffer (so they see the current weights, also during training), with dropout and
 * weight noise removed, frozen layers unwrapped and batch normalization differentiated with its running statistics.
 * Each thread borrows its own copy from a pool, so one model may be explained from many threads at once.
 *
 * <p>The copies and their off-heap workspaces are held until {@link #close()} (or until the model is no longer
 * reachable); after {@code close()} the model refuses to compute. Models made from this one with the {@code with...}
 * methods hold copies of their own and are closed separately.
 *
 * <p>Outputs are seen as [rows, outputs]: a network whose output has more dimensions per row (a sequence, a map)
 * is explained on its output flattened row-major, and targets index that flattened output.
 *
 * <p>Rows are processed in chunks of at most {@link #chunkRows(INDArray)} rows, one forward and one backward pass
 * per chunk.
 */
public final class NetworkModel implements ExplainableModel, AutoCloseable {
    private static final long DEFAULT_BUDGET_CAP = 512L << 20;
    private static final String PASS_WORKSPACE_ID = "EXPLAIN4J_PASS";
    private static final AtomicLong PASS_WORKSPACES = new AtomicLong();
    /** Learns its size on the first pass, grows when a larger pass comes (DL4J's own settings for its layers). */
    private static final WorkspaceConfiguration PASS_WORKSPACE = WorkspaceConfiguration.builder()
            .initialSize(0).overallocationLimit(0.05)
            .policyAllocation(AllocationPolicy.OVERALLOCATE).policyLearning(LearningPolicy.FIRST_LOOP)
            .policyMirroring(MirroringPolicy.FULL).policySpill(SpillPolicy.REALLOCATE)
            .build();

    private final Dl4jNetwork network;
    private final OutputSpace space;
    private final long[] inputShape;
    private final long memoryBudget;
    /** The padding token id, when padding is masked; else null. */
    private final Long padId;
    private final SequenceMask sequenceMask;
    private final ConcurrentLinkedDeque<PassSlot> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;
    private final Map<List<Long>, Integer> chunkRowsByShape = new ConcurrentHashMap<>();
    private volatile int outputSize;

    private NetworkModel(Dl4jNetwork network, OutputSpace space, long[] inputShape, long memoryBudget) {
        this(network, space, inputShape, memoryBudget, null, null);
    }

    private NetworkModel(Dl4jNetwork network, OutputSpace space, long[] inputShape, long memoryBudget, Long padId,
                         SequenceMask sequenceMask) {
        this.network = network;
        this.space = space;
        this.inputShape = inputShape;
        this.memoryBudget = memoryBudget;
        this.padId = padId;
        this.sequenceMask = sequenceMask;
        this.outputSize = network.outputSize();
    }

    /** A chain; one that masks token 0 itself (a Keras {@code mask_zero} import) is explained with that padding. */
    public static NetworkModel of(MultiLayerNetwork network) {
        Dl4jNetwork chain = new ChainNetwork(network);
        Long padId = chain.maskedPadId();
        return new NetworkModel(chain, OutputSpace.PROBABILITY, chain.inputShape(), defaultBudget(), padId,
                padId == null ? null : SequenceMask.padId(padId));
    }

    /** A graph with a single output. */
    public static NetworkModel of(ComputationGraph graph) {
        return of(graph, null);
    }

    /** A graph, explaining the output vertex named {@code output}. */
    public static NetworkModel of(ComputationGraph graph, String output) {
        Dl4jNetwork g = new GraphNetwork(graph, output);
        return new NetworkModel(g, OutputSpace.PROBABILITY, g.inputShape(), defaultBudget());
    }

    private static long defaultBudget() {
        return Math.max(16L << 20, Math.min(DEFAULT_BUDGET_CAP, Pointer.maxBytes() / 8));
    }

    /** The same network explained in another output space. */
    public NetworkModel withOutputSpace(OutputSpace outputSpace) {
        return new NetworkModel(network, outputSpace, inputShape, memoryBudget, padId, sequenceMask);
    }

    /** Declares the shape of one input row (e.g. the height and width a convolutional network takes). */
    public NetworkModel withInputShape(long... rowShape) {
        return new NetworkModel(network, space, rowShape.clone(), memoryBudget, padId, sequenceMask);
    }

    /** Bytes the activations of one chunk may take; sets the chunk size. Default: 1/8 of the off-heap limit, ≤ 512 MiB. */
    public NetworkModel withMemoryBudget(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("memory budget must be positive, got " + bytes);
        }
        return new NetworkModel(network, space, inputShape, bytes, padId, sequenceMask);
    }

    /**
     * The same network explained in another floating-point type (float32 is what networks are usually built in;
     * DOUBLE for float64 attributions): inputs, gradients and attributions are computed in that type. The network is
     * converted as a copy (DL4J's {@code convertDataType}); the user's network is not changed, and the copy does not
     * follow later changes to its parameters (explain a trained network, or convert again).
     */
    public NetworkModel withDataType(DataType type) {
        if (type == null || !type.isFPType() || type == DataType.BFLOAT16) {
            throw new IllegalArgumentException("data type must be FLOAT, DOUBLE or HALF, got " + type);
        }
        return type == dataType() ? this : new NetworkModel(network.converted(type), space, inputShape, memoryBudget,
                padId, sequenceMask);
    }

    /**
     * The same network with padding masked: steps holding token {@code id} are padding, and every batch is passed to
     * DL4J with its feature mask (ids ≠ id), which recurrent layers and global pooling honour, as for a network trained
     * with feature masks or a Keras embedding with {@code mask_zero}. Methods then give padded positions exactly zero
     * and never perturb them. Networks that embed sequences of token ids only.
     */
    public NetworkModel withPadId(long id) {
        TokenInput tokens = network.tokenInput();
        if (tokens == null || tokens.embedded() == null) {
            throw new IllegalArgumentException("a padding id masks sequences of token ids; this network takes "
                    + (tokens == null ? "no token ids" : "a single token id per row"));
        }
        if (id < 0 || id >= tokens.vocabulary()) {
            throw new IllegalArgumentException("padding id " + id + " is not a token id of the network's vocabulary (0.."
                    + (tokens.vocabulary() - 1) + ")");
        }
        return new NetworkModel(network, space, inputShape, memoryBudget, id, SequenceMask.padId(id));
    }

    /**
     * The same network with a feature mask on every batch (see {@link SequenceMask}), e.g. one fixed pattern of real
     * steps for a network that takes sequences of vectors; null removes it.
     */
    public NetworkModel withSequenceMask(SequenceMask mask) {
        return new NetworkModel(network, space, inputShape, memoryBudget, null, mask);
    }

    /**
     * Whether every batch goes to DL4J with a feature mask ({@link #withPadId}, {@link #withSequenceMask}). The views
     * {@link #after} and {@link #upTo} do not carry it: their input is not the token ids the mask is read from.
     */
    public boolean masksSequences() {
        return sequenceMask != null;
    }

    /** The padding token id, if {@link #withPadId} set one. */
    public java.util.OptionalLong padId() {
        return padId == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(padId);
    }

    public OutputSpace outputSpace() {
        return space;
    }

    /** Input pseudo-layer first, then every layer (or graph vertex) in forward order. */
    public List<LayerInfo> layers() {
        return network.layers();
    }

    /** "MultiLayerNetwork" or "ComputationGraph". */
    public String networkKind() {
        return network.kind();
    }

    /**
     * The layer named {@code reference}: its name, its index in {@link #layers()}' numbering, or {@code input}.
     *
     * @throws IllegalArgumentException naming the layers there are
     */
    public LayerInfo layer(String reference) {
        for (LayerInfo info : network.layers()) {
            if (info.name().equals(reference) || (info.index() == -1 && LayerInfo.INPUT.equals(reference))) {
                return info;
            }
        }
        try {
            int index = Integer.parseInt(reference.trim());
            for (LayerInfo info : network.layers()) {
                if (info.index() == index && index >= 0) {
                    return info;
                }
            }
        } catch (NumberFormatException notAnIndex) {
            // fall through to the error
        }
        throw new IllegalArgumentException("unknown layer '" + reference + "'; the network's layers are "
                + network.layers().stream().map(l -> l.index() < 0 ? l.name() : l.index() + ":" + l.name())
                .collect(Collectors.joining(", ")));
    }

    /**
     * The image layout of inputs shaped like {@code x}, if the network takes images: rank-4 batches in the layout of
     * the first convolutional layer, or flat rows reshaped by the network's input preprocessor.
     */
    @Override
    public Optional<ImageGeometry> imageGeometry(INDArray x) {
        if (network.inputPreProcessor() instanceof FeedForwardToCnnPreProcessor toCnn && x.rank() == 2) {
            return Optional.of(new ImageGeometry((int) toCnn.getInputHeight(), (int) toCnn.getInputWidth(),
                    (int) toCnn.getNumChannels(), CNN2DFormat.NCHW, true));
        }
        if (x.rank() != 4) {
            return Optional.empty();
        }
        CNN2DFormat format = network.layers().stream().map(LayerInfo::format).filter(Objects::nonNull).findFirst()
                .orElse(CNN2DFormat.NCHW);
        return Optional.of(format == CNN2DFormat.NHWC
                ? new ImageGeometry((int) x.size(1), (int) x.size(2), (int) x.size(3), format, false)
                : new ImageGeometry((int) x.size(2), (int) x.size(3), (int) x.size(1), format, false));
    }

    /** The token ids the network takes, if it starts with an embedding (its inputs are then checked to be ids). */
    public Optional<TokenInput> tokenInput() {
        return Optional.ofNullable(network.tokenInput());
    }

    /**
     * The layout of a sequence input, if the network's first layer takes sequences of vectors (a 1-D convolution or a
     * recurrent layer): NCW rows are [features, time], NWC rows (Keras imports) [time, features].
     */
    public Optional<RNNFormat> sequenceFormat() {
        return Optional.ofNullable(network.sequenceFormat());
    }

    @Override
    public long[] inputShape() {
        return inputShape == null ? null : inputShape.clone();
    }

    @Override
    public int outputSize() {
        if (outputSize < 0) {
            if (inputShape == null || Arrays.stream(inputShape).anyMatch(d -> d < 0)) {
                throw new IllegalStateException("the network does not declare its output size; declare its input shape"
                        + " with withInputShape(...) or run a prediction first");
            }
            long[] shape = new long[inputShape.length + 1];
            shape[0] = 1;
            System.arraycopy(inputShape, 0, shape, 1, inputShape.length);
            predict(Nd4j.zeros(dataType(), shape));
        }
        return outputSize;
    }

    @Override
    public DataType dataType() {
        return network.dataType();
    }

    @Override
    public INDArray predict(INDArray batch) {
        INDArray out = forwardInChunks(batch, NetworkPass::forward);
        outputSize = (int) out.size(1);
        return out;
    }

    /**
     * The output of {@code layer} (see {@link #layer(String)}; {@code input} gives the rows as the network takes them)
     * for every row, shaped as the layer gives it: [rows, ...] in the layer's own layout, e.g. [rows, c, h, w] for an
     * NCHW convolution. One forward pass per chunk of rows. Layer methods take their path ends from here.
     */
    public INDArray activations(INDArray batch, String layer) {
        String name = layer(layer).name();
        return forwardInChunks(batch, (pass, rows) -> pass.activation(rows, name));
    }

    /** {@code forward} on every chunk of the checked rows (each chunk a copy the pass may overwrite), concatenated. */
    private INDArray forwardInChunks(INDArray batch, java.util.function.BiFunction<NetworkPass, INDArray, INDArray> forward) {
        INDArray x = prepare(batch, "input");
        int chunk = chunkRows(x);
        List<INDArray> parts = new ArrayList<>();
        for (int start = 0; start < x.size(0); start += chunk) {
            INDArray rows = rows(x, start, chunk);
            parts.add(withPass(pass -> forward.apply(pass, rows.dup()), GradientBatch::detached));
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(INDArray[]::new));
    }

    /**
     * The attention weights of every attention layer for the rows of {@code batch}, by layer name, from one forward
     * pass per chunk of rows (see {@link AttentionWeights}).
     */
    Map<String, INDArray> attentionWeights(INDArray batch) {
        INDArray x = prepare(batch, "input");
        int chunk = chunkRows(x);
        Map<String, List<INDArray>> parts = new java.util.HashMap<>();
        for (int start = 0; start < x.size(0); start += chunk) {
            INDArray rows = rows(x, start, chunk);
            withPass(pass -> pass.attentionWeights(rows.dup()), weights -> {
                weights.forEach((layer, w) -> parts.computeIfAbsent(layer, k -> new ArrayList<>()).add(GradientBatch.detached(w)));
                return weights;
            });
        }
        Map<String, INDArray> weights = new java.util.HashMap<>();
        parts.forEach((layer, chunks) -> weights.put(layer, chunks.size() == 1 ? chunks.get(0)
                : Nd4j.concat(0, chunks.toArray(INDArray[]::new))));
        return weights;
    }

    /** ∂f_target/∂x for every row, with the outputs and resolved targets. */
    public GradientBatch gradients(INDArray x, Target target) {
        return gradients(x, target, null, true, 0);
    }

    /** The activations a_L of {@code layer} and ∂f_target/∂a_L for every row (no input gradient). */
    public GradientBatch layerGradients(INDArray x, Target target, String layer) {
        return gradients(x, target, layer, false, 0);
    }

    /**
     * The primitive every gradient method is built on.
     *
     * @param layer     a layer reference (see {@link #layer(String)}) or null
     * @param wantInput whether to return ∂f/∂x
     * @param chunkRows rows per forward+backward pass; 0 for the default from the memory budget
     */
    public GradientBatch gradients(INDArray x, Target target, String layer, boolean wantInput, int chunkRows) {
        if (chunkRows < 0) {
            throw new IllegalArgumentException("chunk size must be ≥ 1 (or 0 for the default), got " + chunkRows);
        }
        INDArray input = prepare(x, "input");
        String layerName = layer == null ? null : layer(layer).name();
        target.checkRows((int) input.size(0));
        int chunk = chunkRows > 0 ? chunkRows : chunkRows(input);
        List<GradientBatch> parts = new ArrayList<>();
        for (int start = 0; start < input.size(0); start += chunk) {
            int from = start;
            INDArray rows = rows(input, start, chunk);
            Target chunkTarget = target.rows(from, from + (int) rows.size(0));
            parts.add(withPass(pass -> pass.gradients(rows.dup(), chunkTarget, from, layerName, wantInput), GradientBatch::detach));
        }
        GradientBatch batch = GradientBatch.concat(parts);
        outputSize = (int) batch.outputs().size(1);
        return batch;
    }

    /**
     * The input "gradient" of a modified-backward method: the engine's backward walk under {@code rules} (DeepLIFT's
     * multipliers, LRP's relevance, guided backpropagation), in chunks of rows from the memory budget, one forward and
     * one backward pass per chunk.
     *
     * @param references for rules that {@link BackwardRules#stacksReferences stack references}, one reference row per
     *                   row of x (each chunk runs its rows stacked with theirs); null for the others
     * @return the outputs and targets of x's rows and the walk's result at the input; with references, the outputs
     *         are [2 · rows, outputs]: x's rows, then the references'
     */
    public GradientBatch gradients(INDArray x, INDArray references, Target target, BackwardRules rules) {
        INDArray input = prepare(x, "input");
        boolean stacked = rules.stacksReferences();
        if (stacked != (references != null)) {
            throw new IllegalArgumentException(rules.name() + (stacked ? " needs one reference row per input row"
                    : " takes no reference rows"));
        }
        INDArray ref = stacked ? prepare(references, "reference") : null;
        if (stacked && !Arrays.equals(ref.shape(), input.shape())) {
            throw new IllegalArgumentException("references of shape " + Arrays.toString(ref.shape())
                    + " do not match the inputs' " + Arrays.toString(input.shape()));
        }
        target.checkRows((int) input.size(0));
        int chunk = Math.max(1, chunkRows(input) / (stacked ? 2 : 1));
        List<GradientBatch> parts = new ArrayList<>();
        List<INDArray> referenceOutputs = new ArrayList<>();
        for (int start = 0; start < input.size(0); start += chunk) {
            int from = start;
            INDArray rows = rows(input, start, chunk);
            int n = (int) rows.size(0);
            Target chunkTarget = target.rows(from, from + n);
            INDArray passInput = stacked ? Nd4j.concat(0, rows, rows(ref, start, chunk)) : rows.dup();
            GradientBatch part = withPass(pass -> pass.gradients(passInput, chunkTarget, from, null, true, rules),
                    GradientBatch::detach);
            if (stacked) {
                INDArray firstHalf = part.outputs().get(NDArrayIndex.interval(0, n));
                referenceOutputs.add(part.outputs().get(NDArrayIndex.interval(n, 2 * n)));
                part = new GradientBatch(firstHalf, Arrays.copyOf(part.targets(), n),
                        part.inputGradient().get(NDArrayIndex.interval(0, n)), null, null);
            }
            parts.add(part);
        }
        GradientBatch batch = GradientBatch.concat(parts);
        outputSize = (int) batch.outputs().size(1);
        if (!stacked) {
            return batch;
        }
        INDArray outputs = Nd4j.concat(0, batch.outputs(), Nd4j.concat(0, referenceOutputs.toArray(INDArray[]::new)));
        return new GradientBatch(outputs, batch.targets(), batch.inputGradient(), null, null);
    }

    /**
     * The kernel of path methods: for straight paths from b = {@code baselines[from[p]]} to x = {@code inputs[to[p]]}
     * and the points b + α_{p,s} (x − b) on them, Σ_s w_{p,s} ∂f_{t_p}/∂x at those points: [paths, ...] with the
     * rows' shape. All points of a call go through one forward+backward pass (callers chunk); only the end rows the
     * paths use are checked, so the points are never copied or scanned.
     *
     * @param alpha   [paths, steps] where each point lies on its path
     * @param weight  [paths, steps]
     * @param targets output index per path
     */
    public INDArray pathGradients(PathEnds ends, INDArray alpha, INDArray weight, int[] targets) {
        PathEnds used = ends.compact();
        INDArray b = prepare(used.baselines(), "baseline");
        INDArray x = prepare(used.inputs(), "input");
        int paths = used.paths();
        if (!Arrays.equals(Arrays.copyOfRange(b.shape(), 1, b.rank()), Arrays.copyOfRange(x.shape(), 1, x.rank()))
                || alpha.rank() != 2 || alpha.size(0) != paths || !Arrays.equals(alpha.shape(), weight.shape())
                || targets.length != paths) {
            throw new IllegalArgumentException("paths: baselines " + Arrays.toString(b.shape()) + ", inputs "
                    + Arrays.toString(x.shape()) + ", alpha " + Arrays.toString(alpha.shape()) + ", weight "
                    + Arrays.toString(weight.shape()) + " and " + targets.length + " targets do not describe "
                    + paths + " paths");
        }
        PathEnds prepared = new PathEnds(b, x, used.from(), used.to());
        INDArray a = alpha.castTo(dataType());
        INDArray w = weight.castTo(dataType());
        return withPass(pass -> pass.pathGradients(prepared, a, w, targets), GradientBatch::detached);
    }

    /**
     * The network from {@code layer} on: a model whose input is that layer's output (a row of it, as the layer
     * computes it) and whose gradients come from the engine's walk over the layers after it, on the user's parameters,
     * in this model's output space, data type and memory budget. On a ComputationGraph the vertex must be one every
     * path from the input to the output runs through. Like the models the {@code with...} methods make, it holds
     * copies of its own and is closed separately.
     *
     * @throws IllegalArgumentException for the last layer, an unknown layer, or a graph vertex with a path around it
     */
    public NetworkModel after(String layer) {
        Dl4jNetwork rest = network.after(layer(layer));
        return new NetworkModel(rest, space, rest.inputShape(), memoryBudget);
    }

    /**
     * The network up to and including {@code layer}: its {@link #predict} gives that layer's output as the network
     * computes it (flattened row-major per row), e.g. the embedding of token ids; its gradients are those of a unit of
     * that output (neuron methods). Closed separately, like {@link #after}.
     */
    public NetworkModel upTo(String layer) {
        Dl4jNetwork head = network.upTo(layer(layer));
        return new NetworkModel(head, OutputSpace.PROBABILITY, head.inputShape(), memoryBudget);
    }

    /** The layer (or graph output vertex) whose output is explained. */
    public LayerInfo outputLayer() {
        return layer(network.outputLayerName());
    }

    /**
     * Copies of the parameters of {@code layer} (see {@link #layer(String)}) by DL4J's parameter keys, e.g. "W" [in, out]
     * and "b" for a dense layer; empty for a layer without parameters.
     */
    public Map<String, INDArray> layerParameters(String layer) {
        org.deeplearning4j.nn.api.Layer l = network.trainableLayer(layer(layer).name());
        Map<String, INDArray> copies = new java.util.LinkedHashMap<>();
        if (l != null) {
            l.paramTable().forEach((key, value) -> copies.put(key, value.dup()));
        }
        return copies;
    }

    /**
     * The same model on a deep copy of the network in which {@code layer}'s parameters are replaced by the given ones
     * (missing keys keep their values). The user's network is not touched: this is how sanity checks randomize a
     * layer.
     */
    public NetworkModel withLayerParameters(String layer, Map<String, INDArray> replacement) {
        String name = layer(layer).name();
        Dl4jNetwork copy = network.deepCopy();
        org.deeplearning4j.nn.api.Layer target = copy.trainableLayer(name);
        if (target == null || target.numParams() == 0) {
            throw new IllegalArgumentException("layer '" + layer + "' has no parameters to replace");
        }
        Map<String, INDArray> table = target.paramTable();
        replacement.forEach((key, value) -> {
            INDArray current = table.get(key);
            if (current == null || !Arrays.equals(current.shape(), value.shape())) {
                throw new IllegalArgumentException("layer '" + layer + "' has no parameter " + key + " of shape "
                        + Arrays.toString(value.shape()) + "; its parameters are " + table.keySet());
            }
            current.assign(value.castTo(current.dataType()));
        });
        return new NetworkModel(copy, space, inputShape, memoryBudget, padId, sequenceMask);
    }

    /** Rows per forward+backward pass for inputs shaped like {@code x}, from the memory budget. */
    public int chunkRows(INDArray x) {
        List<Long> rowShape = Arrays.stream(x.shape()).skip(1).boxed().toList();
        return chunkRowsByShape.computeIfAbsent(rowShape, s -> {
            INDArray probe = x.get(NDArrayIndex.interval(0, 1)).dup();
            // activations, their gradients and the layers' temporaries: about four arrays per layer output
            long bytesPerRow = 4L * x.dataType().width() * withPass(pass -> pass.activationElements(probe), n -> n);
            return (int) Math.max(1, Math.min(Integer.MAX_VALUE, memoryBudget / Math.max(1, bytesPerRow)));
        });
    }

    private INDArray prepare(INDArray batch, String what) {
        if (inputShape != null) {
            Inputs.checkShape(batch, inputShape, what);
        } else {
            Inputs.checkFinite(batch, what);
        }
        TokenInput tokens = network.tokenInput();
        if (tokens != null) {
            Inputs.checkTokenIds(batch, tokens.vocabulary(), what);
        }
        return batch.dataType() == dataType() ? batch : batch.castTo(dataType());
    }

    private static INDArray rows(INDArray x, long start, long chunk) {
        long end = Math.min(x.size(0), start + chunk);
        return start == 0 && end == x.size(0) ? x : x.get(NDArrayIndex.interval(start, end));
    }

    /**
     * Releases the explaining copies of the network and their off-heap workspaces, once no call is using them; a call
     * running on another thread finishes, and releases its own when it ends. The user's network is not touched. Any
     * later call is refused with an {@link IllegalStateException}. Closing twice does nothing more.
     */
    @Override
    public void close() {
        closed = true;
        releaseIdle();
    }

    private void releaseIdle() {
        for (PassSlot slot; (slot = idle.poll()) != null; ) {
            slot.workspace.destroyWorkspace(true);
        }
    }

    /**
     * Runs {@code work} on an idle pass inside its own workspace, and hands back what it returns copied by
     * {@code detach} into the caller's scope: outside any workspace, or into the workspace the caller has open
     * (PathIntegral's chunk workspace), where it is reused from chunk to chunk instead of left to the garbage collector.
     *
     * <p>The workspace is reused from pass to pass: without it every temporary of a pass (the pre-activations, the
     * products, the copies) was a fresh zeroed off-heap allocation, measured with JFR at ≈ 45% of a 3200-row
     * forward+backward pass of the MLP. It keeps the size of the largest pass seen on it, which the memory budget
     * bounds. DL4J's layer calls allocate in it too ({@link NetworkPass#MGR}): what a layer keeps from a pass (its
     * input) refers into it and is set again by the next pass before it is read.
     *
     * <p>A workspace belongs to its pass, not to a thread: it travels with the pass through the pool (one thread uses
     * it at a time), so the pool holds one workspace per concurrent caller, whichever threads come and go, and
     * {@link #close()} can release them all without touching another thread's state.
     */
    private <T> T withPass(Function<NetworkPass, T> work, UnaryOperator<T> detach) {
        if (closed) {
            throw new IllegalStateException("this NetworkModel is closed: its network copies and workspaces were"
                    + " released; load or wrap the network again to explain with it");
        }
        PassSlot slot = idle.poll();
        if (slot == null) {
            slot = new PassSlot(network.newPass(space), detachedWorkspace());
            slot.pass.sequenceMask = sequenceMask;
        }
        MemoryWorkspace caller = Nd4j.getMemoryManager().getCurrentWorkspace();
        try (MemoryWorkspace outside = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            try (MemoryWorkspace ws = slot.workspace.notifyScopeEntered()) {
                T result = work.apply(slot.pass);
                Nd4j.getMemoryManager().setCurrentWorkspace(caller);
                try {
                    return detach.apply(result);
                } finally {
                    Nd4j.getMemoryManager().setCurrentWorkspace(ws);
                }
            }
        } finally {
            idle.push(slot);
            if (closed) {
                releaseIdle();
            }
        }
    }

    /**
     * A new pass workspace that no thread's workspace table holds: ND4J's manager files every workspace it makes
     * under its id in the calling thread's table, which would keep it (and its memory) for as long as that thread
     * lives. A second workspace under the same id takes its place in the table and is destroyed at once (it never
     * allocated), which removes the entry; the first stays registered with ND4J's deallocator, which frees it if the
     * model is dropped without being closed.
     */
    private static MemoryWorkspace detachedWorkspace() {
        String id = PASS_WORKSPACE_ID + "-" + PASS_WORKSPACES.incrementAndGet();
        MemoryWorkspaceManager manager = Nd4j.getWorkspaceManager();
        MemoryWorkspace workspace = manager.createNewWorkspace(PASS_WORKSPACE, id);
        manager.destroyWorkspace(manager.createNewWorkspace(PASS_WORKSPACE, id));
        return workspace;
    }

    /** An explaining copy with the workspace its passes compute in. */
    private record PassSlot(NetworkPass pass, MemoryWorkspace workspace) {
    }
}
