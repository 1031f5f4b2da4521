package org.tl4j.vision.vit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.tl4j.core.io.ModelFiles;
import org.tl4j.core.model.PretrainedModel;
import org.tl4j.core.transformer.ClassTokenLayer;
import org.tl4j.core.transformer.EncoderBlockConfig;
import org.tl4j.core.transformer.ErfGeluActivation;
import org.tl4j.core.transformer.PatchExtractionVertex;
import org.tl4j.core.transformer.Pooling;
import org.tl4j.core.transformer.PositionEmbeddingLayer;
import org.tl4j.core.transformer.TransformerBlocks;
import org.tl4j.core.transformer.UnpaddedMaskVertex;

/**
 * A vision transformer (ViT, Dosovitskiy et al., arXiv:2010.11929) as a DL4J {@link
 * ComputationGraph} built from tl-core's transformer blocks, and the small ViT that tl4j pretrains
 * on Fashion-MNIST and ships.
 *
 * <p>Graph, input {@code [n, channels, size, size]} (pixels in 0..1 for the shipped model); names
 * are stable so that LoRA and importers can find the layers:
 *
 * <pre>
 * input -> embeddings.patches (cut into patches) -> embeddings.projection (dense, hidden)
 *       -> embeddings.class (prepend class token) -> embeddings.position (add position embeddings)
 *       -> encoder.0 ... encoder.{depth-1} (pre-LayerNorm blocks, exact GELU)
 *       -> encoder.norm (LayerNorm) -> pooled (class token) -> output (softmax)
 * mask (all ones, [n, tokens]) feeds every attention and the pooling
 * </pre>
 *
 * Each block's attention projections are DenseLayers {@code encoder.N.attention.query}, {@code
 * .key}, {@code .value} and {@code .output}, which {@link #LORA_TARGETS} matches (query and value).
 * Weights start from N(0, 0.02) as in BERT and ViT, the patch projection from Xavier. LayerNorm
 * epsilon 1e-6 (ViT's).
 *
 * <p>{@link #pretrained()} loads the shipped model: {@link VitConfig#fashionMnist()} (28x28 grey,
 * patch 7, hidden 64, 3 blocks, 4 heads, MLP 128; 105,546 parameters), trained by {@link
 * VitTraining} (the command is in its Javadoc and in the README beside the resource). Its test
 * accuracy is {@value #SHIPPED_TEST_ACCURACY_TEXT} on the 10,000-image Fashion-MNIST test split.
 */
public final class VisionTransformer {

    /** Name of the graph input. */
    public static final String INPUT = "input";

    /** Name of the all-ones mask vertex. */
    public static final String MASK = "mask";

    /** Name of the patch projection (a DenseLayer from patch pixels to the hidden size). */
    public static final String PATCH_PROJECTION = "embeddings.projection";

    /**
     * The vertex new heads go on: the class token after the final LayerNorm, {@code [n, hidden]}.
     */
    public static final String FEATURE_VERTEX = "pooled";

    /** Name of the softmax output layer (the head). */
    public static final String OUTPUT_VERTEX = "output";

    /** LoRA target pattern: every block's query and value projections (PEFT's default). */
    public static final String LORA_TARGETS = "encoder\\.\\d+\\.attention\\.(query|value)";

    /** Classpath location of the shipped pretrained model. */
    public static final String RESOURCE = "/org/tl4j/vision/vit/fashion-mnist-vit.zip";

    /** The shipped model's test accuracy on the full Fashion-MNIST test split, as text. */
    public static final String SHIPPED_TEST_ACCURACY_TEXT = "0.8450";

    /** Adam learning rate of the architecture. */
    public static final double LEARNING_RATE = 1e-3;

    /** LayerNorm variance floor (ViT's). */
    public static final double LAYER_NORM_EPS = 1e-6;

    private VisionTransformer() {}

    /** The network of shape {@code c}, untrained, with weights initialised from {@code seed}. */
    public static ComputationGraph architecture(VitConfig c, long seed) {
        ComputationGraph graph = new ComputationGraph(configuration(c, seed));
        graph.init();
        return graph;
    }

    /** The configuration of {@link #architecture(VitConfig, long)}. */
    public static ComputationGraphConfiguration configuration(VitConfig c, long seed) {
        GraphBuilder g =
                new NeuralNetConfiguration.Builder()
                        .seed(seed)
                        .updater(new Adam(LEARNING_RATE))
                        .graphBuilder()
                        .addInputs(INPUT);
        String x = addEmbeddings(g, c);
        g.addVertex(MASK, new UnpaddedMaskVertex(c.tokens()), INPUT);
        EncoderBlockConfig block =
                new EncoderBlockConfig(
                        c.hidden(),
                        c.heads(),
                        c.mlpSize(),
                        LAYER_NORM_EPS,
                        new ErfGeluActivation());
        for (int i = 0; i < c.depth(); i++) {
            x = TransformerBlocks.addPreNormEncoderBlock(g, "encoder." + i, x, MASK, block);
        }
        TransformerBlocks.addLayerNorm(g, "encoder.norm", x, c.hidden(), LAYER_NORM_EPS);
        TransformerBlocks.addPooling(g, FEATURE_VERTEX, "encoder.norm", MASK, Pooling.FIRST_TOKEN);
        g.addLayer(
                OUTPUT_VERTEX,
                new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nIn(c.hidden())
                        .nOut(c.classes())
                        .activation(Activation.SOFTMAX)
                        .weightInit(WeightInit.XAVIER)
                        .build(),
                FEATURE_VERTEX);
        return g.setOutputs(OUTPUT_VERTEX).setInputTypes(inputType(c)).build();
    }

    /** Patches, their projection, class token and position embeddings; returns the last name. */
    private static String addEmbeddings(GraphBuilder g, VitConfig c) {
        int patchValues = c.channels() * c.patchSize() * c.patchSize();
        g.addVertex("embeddings.patches", new PatchExtractionVertex(c.patchSize()), INPUT);
        g.addLayer(
                PATCH_PROJECTION,
                new DenseLayer.Builder()
                        .nIn(patchValues)
                        .nOut(c.hidden())
                        .activation(Activation.IDENTITY)
                        .weightInit(WeightInit.XAVIER)
                        .build(),
                "embeddings.patches");
        g.addLayer(
                "embeddings.class",
                ClassTokenLayer.builder().size(c.hidden()).sequenceLength(c.patches()).build(),
                PATCH_PROJECTION);
        g.addLayer(
                "embeddings.position",
                PositionEmbeddingLayer.builder()
                        .size(c.hidden())
                        .sequenceLength(c.tokens())
                        .build(),
                "embeddings.class");
        return "embeddings.position";
    }

    /** The input type of a model of shape {@code c}. */
    public static InputType inputType(VitConfig c) {
        return InputType.convolutional(c.imageSize(), c.imageSize(), c.channels());
    }

    /**
     * The shipped ViT pretrained on Fashion-MNIST, described for transfer: feature vertex {@value
     * #FEATURE_VERTEX} (the class token, 64 features), head {@value #OUTPUT_VERTEX}, input {@code
     * convolutional(28, 28, 1)}, no normaliser (pixels in 0..1, as the IDX reader scales them).
     *
     * @throws UncheckedIOException if the resource is missing or cannot be read
     */
    public static PretrainedModel pretrained() {
        return describe(loadShipped(), VitConfig.fashionMnist(), "fashion-mnist-vit");
    }

    /** Describes a graph built by {@link #architecture} (trained or not) for transfer. */
    public static PretrainedModel describe(ComputationGraph graph, VitConfig c, String name) {
        return PretrainedModel.builder(graph)
                .name(name)
                .inputType(inputType(c))
                .featureVertex(FEATURE_VERTEX)
                .headVertices(List.of(OUTPUT_VERTEX))
                .build();
    }

    private static ComputationGraph loadShipped() {
        Path tmp = null;
        try (InputStream in = VisionTransformer.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(
                        "resource "
                                + RESOURCE
                                + " is missing from the classpath;"
                                + " re-create it with VitTraining (see the README)");
            }
            tmp = Files.createTempFile("tl4j-fashion-mnist-vit", ".zip");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return ModelFiles.load(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the shipped Fashion-MNIST ViT", e);
        } finally {
            if (tmp != null) {
                tmp.toFile().delete();
            }
        }
    }
}
