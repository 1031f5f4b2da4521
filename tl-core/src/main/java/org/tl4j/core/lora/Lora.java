package org.tl4j.core.lora;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.FrozenVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Low-Rank Adaptation (Hu et al. 2021, arXiv 2106.09685) of DL4J graphs: apply adapters, merge,
 * unmerge, disable, and report trainable parameters.
 *
 * <p>{@link #apply(ComputationGraph, LoraConfig)} returns a new graph; the input graph is not
 * modified. In the new graph each target {@code DenseLayer} is a {@link LoraDenseLayer} holding the
 * same base weights, layers matched by {@link LoraConfig#modulesToSave()} are unchanged, and every
 * other layer with parameters is frozen: a plain {@code DenseLayer} becomes a {@link
 * FrozenDenseLayer} (its backward pass computes only the input gradient that adapters below it
 * need), other layers are wrapped in DL4J's {@link FrozenLayerWithBackprop}, and output layers and
 * layers whose biases train under {@link LoraBias#ALL} get a zero-learning-rate updater for the
 * frozen parameters. Layers and vertices with nothing trainable in or below them (a transformer's
 * embeddings and whatever lies under the first adapter) are wrapped in DL4J's {@link FrozenLayer}
 * and {@code FrozenVertex}, which backpropagation skips entirely.
 *
 * <p>Limitations: frozen output layers and, under {@link LoraBias#ALL}, frozen layers still have
 * their weight gradients computed (then scaled by a zero learning rate); put the head in {@code
 * modulesToSave}. Frozen layers other than plain dense layers between adapters (LayerNorm,
 * convolutions) still compute and discard their parameter gradients. Non-layer vertices with
 * parameters are not supported.
 */
public final class Lora {

    private static final Logger log = LoggerFactory.getLogger(Lora.class);

    private Lora() {}

    /**
     * Adapts a copy of {@code base}: see the class Javadoc.
     *
     * @param base an initialised graph; not modified
     * @param config the adapter configuration
     * @return a new, initialised graph with adapters (B = 0, so its output equals the base's)
     * @throws IllegalArgumentException when a pattern matches no layer (the message lists the
     *     layers), a target is not a dense projection, or a rank exceeds min(nIn, nOut)
     */
    public static ComputationGraph apply(ComputationGraph base, LoraConfig config) {
        LoraPlan plan = LoraPlan.resolve(base, config);
        ComputationGraphConfiguration conf = base.getConfiguration().clone();
        for (Map.Entry<String, GraphVertex> e : conf.getVertices().entrySet()) {
            if (e.getValue() instanceof LayerVertex) {
                NeuralNetConfiguration nnc = ((LayerVertex) e.getValue()).getLayerConf();
                nnc.setLayer(transform(e.getKey(), nnc.getLayer(), plan, config, conf));
            }
        }
        markInputGradients(conf);
        freezeBelowTrainable(conf);
        ComputationGraph adapted = new ComputationGraph(conf);
        adapted.init();
        copyBaseParams(base, adapted);
        initAdapters(adapted, config.seed());
        LoraReport report = report(adapted);
        log.info(
                "LoRA applied: {} adapted layers, trainable {} of {} params ({}%)",
                countRole(plan, LoraPlan.Role.LORA),
                report.trainableParams(),
                report.totalParams(),
                String.format("%.3f", report.trainablePercent()));
        return adapted;
    }

    /**
     * Adapts a {@link MultiLayerNetwork} through {@link MultiLayerNetwork#toComputationGraph()};
     * patterns match the layer names of that graph.
     */
    public static ComputationGraph apply(MultiLayerNetwork base, LoraConfig config) {
        return apply(base.toComputationGraph(), config);
    }

    /** Trainable versus total parameters of a graph, per layer and overall. */
    public static LoraReport report(ComputationGraph graph) {
        List<LoraReport.Row> rows = new ArrayList<>();
        long trainable = 0;
        long total = 0;
        for (Layer layer : graph.getLayers()) {
            if (layer.numParams() == 0) {
                continue;
            }
            org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
            boolean frozen =
                    layer instanceof org.deeplearning4j.nn.layers.FrozenLayerWithBackprop
                            || layer instanceof org.deeplearning4j.nn.layers.FrozenLayer;
            long t = 0;
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                if (!frozen && isTrained(conf, p.getKey())) {
                    t += p.getValue().length();
                }
            }
            String role =
                    conf instanceof LoraDenseLayer
                            ? "lora"
                            : t == layer.numParams() ? "kept" : t == 0 ? "frozen" : "partial";
            rows.add(new LoraReport.Row(conf.getLayerName(), role, t, layer.numParams()));
            trainable += t;
            total += layer.numParams();
        }
        return new LoraReport(trainable, total, rows);
    }

    /**
     * Whether an optimizer changes the parameter: LoRA layers say so per parameter; otherwise a
     * parameter is frozen when it has a zero-learning-rate {@link Sgd}, or a {@link NoOp} that the
     * layer's own updater is not (such as batch-norm statistics).
     */
    static boolean isTrained(org.deeplearning4j.nn.conf.layers.Layer conf, String param) {
        if (conf instanceof LoraDenseLayer) {
            return ((LoraDenseLayer) conf).isTrainableParam(param);
        }
        if (conf instanceof FrozenDenseLayer) {
            return false;
        }
        IUpdater u = conf.getUpdaterByParam(param);
        if (u instanceof Sgd && ((Sgd) u).getLearningRate() == 0.0) {
            return false;
        }
        boolean layerNoOp =
                conf instanceof BaseLayer && ((BaseLayer) conf).getIUpdater() instanceof NoOp;
        return u != null && (layerNoOp || !(u instanceof NoOp));
    }

    /**
     * Adds {@code s·A·B} into {@code W} of every LoRA layer, in place (computed in float32, or
     * float64 for a double network); the forward pass then costs what a plain dense layer does.
     * Layers already merged are left alone with a warning, so merging twice never adds twice.
     *
     * @throws IllegalStateException when adapters are disabled
     */
    public static void merge(ComputationGraph graph) {
        for (LoraDenseLayerImpl l : loraLayers(graph)) {
            LoraDenseLayer conf = l.layerConf();
            if (conf.isMerged()) {
                log.warn("LoRA layer '{}' is already merged; merge skipped", conf.getLayerName());
                continue;
            }
            requireEnabled(conf, "merge");
            l.getParam(LoraParamInitializer.WEIGHT_KEY).addi(delta(l));
            setFlag(graph, conf.getLayerName(), true, null);
        }
    }

    /**
     * Subtracts {@code s·A·B} from {@code W} of every merged LoRA layer, in place; layers not
     * merged are left alone with a warning.
     */
    public static void unmerge(ComputationGraph graph) {
        for (LoraDenseLayerImpl l : loraLayers(graph)) {
            LoraDenseLayer conf = l.layerConf();
            if (!conf.isMerged()) {
                log.warn("LoRA layer '{}' is not merged; unmerge skipped", conf.getLayerName());
                continue;
            }
            l.getParam(LoraParamInitializer.WEIGHT_KEY).subi(delta(l));
            setFlag(graph, conf.getLayerName(), false, null);
        }
    }

    /**
     * Turns the adapter path of every LoRA layer on or off; off, the graph computes the base
     * model's output. Train/inference mode is not affected.
     *
     * @throws IllegalStateException when turning adapters off while they are merged
     */
    public static void setAdaptersEnabled(ComputationGraph graph, boolean enabled) {
        for (LoraDenseLayerImpl l : loraLayers(graph)) {
            if (!enabled && l.layerConf().isMerged()) {
                throw new IllegalStateException(
                        "LoRA layer '"
                                + l.layerConf().getLayerName()
                                + "' is merged; call "
                                + "Lora.unmerge(graph) before disabling adapters");
            }
            setFlag(graph, l.layerConf().getLayerName(), null, enabled);
        }
    }

    /**
     * A new graph in which every LoRA layer is a plain {@link DenseLayer} with {@code W + s·A·B}
     * (PEFT's merge_and_unload): no added inference cost. Other layers are copied as they are. A
     * graph without LoRA layers is returned as a copy, with a warning.
     *
     * @throws IllegalStateException when adapters are disabled
     */
    public static ComputationGraph mergeAndUnload(ComputationGraph graph) {
        List<LoraDenseLayerImpl> lora = loraLayers(graph);
        if (lora.isEmpty()) {
            log.warn("graph has no LoRA layers (already merged?); returning a copy unchanged");
            return graph.clone();
        }
        ComputationGraphConfiguration conf = graph.getConfiguration().clone();
        for (GraphVertex v : conf.getVertices().values()) {
            if (v instanceof LayerVertex) {
                NeuralNetConfiguration nnc = ((LayerVertex) v).getLayerConf();
                if (nnc.getLayer() instanceof LoraDenseLayer) {
                    nnc.setLayer(toDense((LoraDenseLayer) nnc.getLayer()));
                }
            }
        }
        ComputationGraph merged = new ComputationGraph(conf);
        merged.init();
        copyBaseParams(graph, merged);
        for (LoraDenseLayerImpl l : lora) {
            requireEnabled(l.layerConf(), "mergeAndUnload");
            if (!l.layerConf().isMerged()) {
                String name = l.layerConf().getLayerName();
                merged.getLayer(name).getParam(LoraParamInitializer.WEIGHT_KEY).addi(delta(l));
            }
        }
        return merged;
    }

    /** The LoRA layers of a graph, in topological order. */
    static List<LoraDenseLayerImpl> loraLayers(ComputationGraph graph) {
        List<LoraDenseLayerImpl> out = new ArrayList<>();
        for (Layer l : graph.getLayers()) {
            if (l instanceof LoraDenseLayerImpl) {
                out.add((LoraDenseLayerImpl) l);
            }
        }
        return out;
    }

    /** s·A·B in float32 (float64 for double weights), cast to W's type. */
    private static INDArray delta(LoraDenseLayerImpl l) {
        INDArray w = l.getParam(LoraParamInitializer.WEIGHT_KEY);
        DataType calc = w.dataType() == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT;
        INDArray a = l.getParam(LoraParamInitializer.A_KEY).castTo(calc);
        INDArray b = l.getParam(LoraParamInitializer.B_KEY).castTo(calc);
        return a.mmul(b).muli(l.layerConf().scaling()).castTo(w.dataType());
    }

    private static void requireEnabled(LoraDenseLayer conf, String operation) {
        if (!conf.isAdapterEnabled()) {
            throw new IllegalStateException(
                    "LoRA layer '"
                            + conf.getLayerName()
                            + "' has its adapter disabled; call "
                            + "Lora.setAdaptersEnabled(graph, true) before "
                            + operation);
        }
    }

    /** Sets merged/enabled on the layer's configuration and on the graph's configuration. */
    private static void setFlag(
            ComputationGraph graph, String name, Boolean merged, Boolean enabled) {
        List<LoraDenseLayer> confs = new ArrayList<>();
        confs.add((LoraDenseLayer) graph.getLayer(name).conf().getLayer());
        GraphVertex v = graph.getConfiguration().getVertices().get(name);
        confs.add((LoraDenseLayer) ((LayerVertex) v).getLayerConf().getLayer());
        for (LoraDenseLayer c : confs) {
            if (merged != null) {
                c.setMerged(merged);
            }
            if (enabled != null) {
                c.setAdapterEnabled(enabled);
            }
        }
    }

    private static org.deeplearning4j.nn.conf.layers.Layer transform(
            String name,
            org.deeplearning4j.nn.conf.layers.Layer layer,
            LoraPlan plan,
            LoraConfig config,
            ComputationGraphConfiguration conf) {
        switch (plan.role(name)) {
            case LORA:
                return toLora(name, (DenseLayer) unwrapFrozen(layer), config);
            case KEPT:
                return layer;
            default:
                if (!plan.roles().containsKey(name)) {
                    return layer; // no parameters: nothing to freeze
                }
                boolean output =
                        layer instanceof BaseOutputLayer || conf.getNetworkOutputs().contains(name);
                return freeze(name, layer, output, config.bias() == LoraBias.ALL);
        }
    }

    /**
     * The layer inside DL4J's frozen wrappers (as TransferLearning's feature extractor makes them):
     * frozen layers are re-frozen so that gradients reach adapters below them.
     */
    private static org.deeplearning4j.nn.conf.layers.Layer unwrapFrozen(
            org.deeplearning4j.nn.conf.layers.Layer layer) {
        if (layer instanceof FrozenLayerWithBackprop) {
            return ((FrozenLayerWithBackprop) layer).getUnderlying();
        }
        if (layer instanceof FrozenLayer) {
            return ((FrozenLayer) layer).getLayer();
        }
        return layer;
    }

    private static LoraDenseLayer toLora(String name, DenseLayer d, LoraConfig config) {
        LoraDenseLayer l =
                new LoraDenseLayer.Builder()
                        .nIn(d.getNIn())
                        .nOut(d.getNOut())
                        .rank(config.rankFor(name))
                        .alpha(config.alphaFor(name))
                        .loraDropout(config.dropout())
                        .useRsLora(config.useRsLora())
                        .initMode(config.init())
                        .hasBias(d.hasBias())
                        .biasTrainable(d.hasBias() && config.bias() != LoraBias.NONE)
                        .name(name)
                        .build();
        copyBaseSettings(d, l);
        l.setTimeDistributedFormat(d.getTimeDistributedFormat());
        if (d.getIUpdater() instanceof NoOp) {
            log.warn(
                    "target layer '{}' has a NoOp updater: its adapter will not train; set an "
                            + "updater on the layer before applying LoRA",
                    name);
        }
        return l;
    }

    private static void copyBaseSettings(BaseLayer from, BaseLayer to) {
        to.setActivationFn(from.getActivationFn());
        to.setWeightInitFn(from.getWeightInitFn());
        to.setBiasInit(from.getBiasInit());
        to.setGainInit(from.getGainInit());
        to.setIUpdater(from.getIUpdater());
        to.setBiasUpdater(from.getBiasUpdater());
        to.setRegularization(from.getRegularization());
        to.setRegularizationBias(from.getRegularizationBias());
        to.setGradientNormalization(from.getGradientNormalization());
        to.setGradientNormalizationThreshold(from.getGradientNormalizationThreshold());
        to.setIDropout(from.getIDropout());
        to.setConstraints(from.getConstraints());
    }

    private static DenseLayer toDense(LoraDenseLayer l) {
        DenseLayer d =
                new DenseLayer.Builder()
                        .nIn(l.getNIn())
                        .nOut(l.getNOut())
                        .hasBias(l.hasBias())
                        .name(l.getLayerName())
                        .build();
        copyBaseSettings(l, d);
        d.setTimeDistributedFormat(l.getTimeDistributedFormat());
        return d;
    }

    private static org.deeplearning4j.nn.conf.layers.Layer freeze(
            String name,
            org.deeplearning4j.nn.conf.layers.Layer layer,
            boolean output,
            boolean biasTrains) {
        layer = unwrapFrozen(layer);
        boolean partial = layer instanceof BaseLayer && !(layer instanceof BatchNormalization);
        if (partial && (output || biasTrains)) {
            // FrozenLayerWithBackprop cannot wrap an output layer, and it would freeze biases too:
            // freeze the weights (and the bias unless it trains) by a zero learning rate.
            BaseLayer b = (BaseLayer) layer.clone();
            IUpdater biasUpdater =
                    b.getBiasUpdater() != null ? b.getBiasUpdater() : b.getIUpdater();
            b.setIUpdater(new Sgd(0.0));
            b.setBiasUpdater(biasTrains ? biasUpdater : new Sgd(0.0));
            b.setRegularization(new ArrayList<>());
            if (!biasTrains) {
                b.setRegularizationBias(new ArrayList<>());
            }
            if (output) {
                log.warn(
                        "output layer '{}' is frozen by a zero learning rate (its gradients are "
                                + "still computed); add it to modulesToSave to train it",
                        name);
            }
            return b;
        }
        if (output) {
            throw new UnsupportedOperationException(
                    "output layer '"
                            + name
                            + "' ("
                            + layer.getClass().getSimpleName()
                            + ") cannot be frozen; add it to modulesToSave");
        }
        if (layer.getClass() == DenseLayer.class && !((DenseLayer) layer).hasLayerNorm()) {
            // Computes its input gradient only, unlike FrozenLayerWithBackprop, which computes
            // and discards the weight gradient too.
            return FrozenDenseLayer.of((DenseLayer) layer);
        }
        if (layer instanceof FrozenDenseLayer) {
            return layer.clone();
        }
        // Frozen parameters get no updater state: the wrapper reports the inner layer's updater.
        org.deeplearning4j.nn.conf.layers.Layer inner = layer.clone();
        if (inner instanceof BaseLayer) {
            BaseLayer b = (BaseLayer) inner;
            b.setIUpdater(new NoOp());
            b.setBiasUpdater(null);
            b.setRegularization(new ArrayList<>());
            b.setRegularizationBias(new ArrayList<>());
        }
        FrozenLayerWithBackprop frozen = new FrozenLayerWithBackprop(inner);
        frozen.setLayerName(name);
        return frozen;
    }

    /**
     * Wraps every vertex with nothing trainable in it or upstream of it (for a transformer: the
     * embeddings and their LayerNorm below the first adapter) in DL4J's {@link FrozenLayer} or
     * {@link FrozenVertex}, which the graph skips entirely when it backpropagates: their gradients
     * would be computed and thrown away.
     */
    private static void freezeBelowTrainable(ComputationGraphConfiguration conf) {
        Map<String, GraphVertex> vertices = conf.getVertices();
        Set<String> live = new HashSet<>();
        for (String name : topologicalOrder(conf)) {
            GraphVertex v = vertices.get(name);
            boolean trainable =
                    v instanceof LayerVertex
                            && hasTrainableParam(((LayerVertex) v).getLayerConf().getLayer());
            List<String> inputs = conf.getVertexInputs().get(name);
            if (trainable || (inputs != null && inputs.stream().anyMatch(live::contains))) {
                live.add(name);
            }
        }
        for (Map.Entry<String, GraphVertex> e : vertices.entrySet()) {
            String name = e.getKey();
            GraphVertex v = e.getValue();
            if (live.contains(name) || conf.getNetworkInputs().contains(name)) {
                continue;
            }
            if (v instanceof LayerVertex) {
                NeuralNetConfiguration nnc = ((LayerVertex) v).getLayerConf();
                org.deeplearning4j.nn.conf.layers.Layer inner = nnc.getLayer();
                if (inner instanceof FrozenLayerWithBackprop) {
                    inner = ((FrozenLayerWithBackprop) inner).getUnderlying();
                }
                if (!(inner instanceof FrozenLayer)) {
                    FrozenLayer frozen = new FrozenLayer(inner);
                    frozen.setLayerName(name);
                    nnc.setLayer(frozen);
                }
            } else if (!(v instanceof FrozenVertex)) {
                e.setValue(new FrozenVertex(v));
            }
        }
    }

    /** Vertex names with every vertex after all of its inputs. */
    private static List<String> topologicalOrder(ComputationGraphConfiguration conf) {
        List<String> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        for (String name : conf.getVertices().keySet()) {
            visit(conf, name, done, order);
        }
        for (String in : conf.getNetworkInputs()) {
            if (!done.contains(in)) {
                order.add(0, in);
            }
        }
        return order;
    }

    private static void visit(
            ComputationGraphConfiguration conf, String name, Set<String> done, List<String> order) {
        if (!done.add(name)) {
            return;
        }
        List<String> inputs = conf.getVertexInputs().get(name);
        if (inputs != null) {
            for (String in : inputs) {
                visit(conf, in, done, order);
            }
        }
        order.add(name);
    }

    /**
     * Sets {@link LoraDenseLayer#setInputGradientNeeded} to false on LoRA layers with nothing
     * trainable upstream: their input gradient would be computed and thrown away.
     */
    private static void markInputGradients(ComputationGraphConfiguration conf) {
        Map<String, GraphVertex> vertices = conf.getVertices();
        for (Map.Entry<String, GraphVertex> e : vertices.entrySet()) {
            if (e.getValue() instanceof LayerVertex) {
                org.deeplearning4j.nn.conf.layers.Layer l =
                        ((LayerVertex) e.getValue()).getLayerConf().getLayer();
                if (l instanceof LoraDenseLayer) {
                    boolean needed = trainableUpstream(conf, e.getKey(), new HashSet<>());
                    ((LoraDenseLayer) l).setInputGradientNeeded(needed);
                }
            }
        }
    }

    private static boolean trainableUpstream(
            ComputationGraphConfiguration conf, String vertex, Set<String> seen) {
        List<String> inputs = conf.getVertexInputs().get(vertex);
        if (inputs == null) {
            return false;
        }
        for (String in : inputs) {
            if (!seen.add(in)) {
                continue;
            }
            GraphVertex v = conf.getVertices().get(in);
            if (v instanceof LayerVertex
                    && hasTrainableParam(((LayerVertex) v).getLayerConf().getLayer())) {
                return true;
            }
            if (v != null && trainableUpstream(conf, in, seen)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasTrainableParam(org.deeplearning4j.nn.conf.layers.Layer l) {
        if (l instanceof FrozenLayerWithBackprop) {
            return false;
        }
        for (String key : l.initializer().paramKeys(l)) {
            if (isTrained(l, key)) {
                return true;
            }
        }
        return false;
    }

    private static void copyBaseParams(ComputationGraph from, ComputationGraph to) {
        for (Layer src : from.getLayers()) {
            String name = src.conf().getLayer().getLayerName();
            Layer dst = to.getLayer(name);
            for (Map.Entry<String, INDArray> p : src.paramTable().entrySet()) {
                INDArray target = dst.paramTable().get(p.getKey());
                if (target != null) {
                    target.assign(p.getValue());
                }
            }
        }
    }

    private static void initAdapters(ComputationGraph graph, long seed) {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        for (LoraDenseLayerImpl l : loraLayers(graph)) {
            LoraParamInitializer.initAdapter(
                    l.layerConf(),
                    l.getParam(LoraParamInitializer.A_KEY),
                    l.getParam(LoraParamInitializer.B_KEY),
                    rng);
        }
    }

    private static long countRole(LoraPlan plan, LoraPlan.Role role) {
        return plan.roles().values().stream().filter(r -> r == role).count();
    }
}
