package org.tl4j.vision.zoo;

import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.zoo.PretrainedType;
import org.deeplearning4j.zoo.ZooModel;
import org.deeplearning4j.zoo.model.Darknet19;
import org.deeplearning4j.zoo.model.LeNet;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.SqueezeNet;
import org.deeplearning4j.zoo.model.VGG16;
import org.deeplearning4j.zoo.model.VGG19;
import org.deeplearning4j.zoo.model.Xception;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.ImagePreProcessingScaler;
import org.nd4j.linalg.dataset.api.preprocessor.VGG16ImagePreProcessor;

/**
 * The DL4J zoo CNNs that have pretrained classification weights, with what transfer needs to know
 * about each. The weights' location and Adler32 checksum are read from DL4J itself ({@code
 * ZooModel.pretrainedUrl} and {@code pretrainedChecksum}), so they follow DL4J's real download
 * path.
 *
 * <p>Vertex names: for ResNet50, SqueezeNet, Xception, Darknet19 and LeNet they were read from the
 * zoo's own configurations ({@code init()} / {@code conf()}) in DL4J 1.0.0-M2.1. For VGG16 and
 * VGG19 the zoo configuration names layers by index, while the pretrained files (imported from
 * Keras) use Keras names; the entries use {@code fc2} / {@code predictions} as DL4J's
 * transfer-learning examples do. Every name is checked when the graph is loaded: a name that is
 * missing gives an error listing the graph's vertices.
 *
 * <p>Limitations: the weights files are hosted by DL4J's download server and are not reachable
 * offline; use {@link PretrainedWeights} with a mirror or a file put in the cache.
 */
public enum ZooModels {

    /** ResNet50 on ImageNet, 224x224x3; features from the 2048-wide global average pool. */
    RESNET50(
            () -> ResNet50.builder().numClasses(1000).build(),
            PretrainedType.IMAGENET,
            224,
            224,
            3,
            "avgpool",
            List.of("output"),
            VGG16ImagePreProcessor::new,
            false),

    /** VGG16 on ImageNet, 224x224x3; features from the second 4096-wide dense layer. */
    VGG16_IMAGENET(
            () -> VGG16.builder().numClasses(1000).build(),
            PretrainedType.IMAGENET,
            224,
            224,
            3,
            "fc2",
            List.of("predictions"),
            VGG16ImagePreProcessor::new,
            false),

    /** VGG19 on ImageNet, 224x224x3; features from the second 4096-wide dense layer. */
    VGG19_IMAGENET(
            () -> VGG19.builder().numClasses(1000).build(),
            PretrainedType.IMAGENET,
            224,
            224,
            3,
            "fc2",
            List.of("predictions"),
            VGG16ImagePreProcessor::new,
            false),

    /** SqueezeNet 1.1 on ImageNet, 227x227x3; features from the last fire module (dropout). */
    SQUEEZENET(
            () -> SqueezeNet.builder().numClasses(1000).build(),
            PretrainedType.IMAGENET,
            227,
            227,
            3,
            "drop9",
            List.of("conv10", "conv10_act", "avg_pool", "softmax", "loss"),
            VGG16ImagePreProcessor::new,
            false),

    /** Xception on ImageNet, 299x299x3, pixels scaled to -1..1; features from the average pool. */
    XCEPTION(
            () -> Xception.builder().numClasses(1000).build(),
            PretrainedType.IMAGENET,
            299,
            299,
            3,
            "avg_pool",
            List.of("predictions"),
            () -> new ImagePreProcessingScaler(-1, 1),
            false),

    /** Darknet19 on ImageNet, 224x224x3, pixels 0..1; features before the 1000-class conv. */
    DARKNET19(
            () -> Darknet19.builder().numClasses(1000).build(),
            PretrainedType.IMAGENET,
            224,
            224,
            3,
            "activation_18",
            List.of("convolution2d_19", "globalpooling", "softmax", "loss"),
            () -> new ImagePreProcessingScaler(0, 1),
            false),

    /**
     * LeNet on MNIST, 28x28x1, pixels 0..1 (as the IDX reader gives them). It is a
     * MultiLayerNetwork; DL4J's conversion to a ComputationGraph names vertices by layer index, so
     * the features are vertex "4" (the 500-wide dense layer {@code ffn1}) and the head "5".
     */
    LENET_MNIST(
            () -> LeNet.builder().numClasses(10).build(),
            PretrainedType.MNIST,
            28,
            28,
            1,
            "4",
            List.of("5"),
            null,
            true);

    private final Supplier<ZooModel<?>> model;
    private final PretrainedType type;
    private final int height;
    private final int width;
    private final int channels;
    private final String featureVertex;
    private final List<String> headVertices;
    private final Supplier<DataNormalization> normalizer;
    private final boolean multiLayer;

    ZooModels(
            Supplier<ZooModel<?>> model,
            PretrainedType type,
            int height,
            int width,
            int channels,
            String featureVertex,
            List<String> headVertices,
            Supplier<DataNormalization> normalizer,
            boolean multiLayer) {
        this.model = model;
        this.type = type;
        this.height = height;
        this.width = width;
        this.channels = channels;
        this.featureVertex = featureVertex;
        this.headVertices = headVertices;
        this.normalizer = normalizer;
        this.multiLayer = multiLayer;
    }

    /** The zoo model (untrained configuration) behind this entry. */
    public ZooModel<?> zooModel() {
        return model.get();
    }

    /** The pretrained weights this entry loads. */
    public PretrainedType pretrainedType() {
        return type;
    }

    /** The catalog entry: name, relative path and checksum from DL4J, and transfer settings. */
    public ZooEntry entry() {
        ZooModel<?> zoo = zooModel();
        ZooEntry.Builder b =
                ZooEntry.builder(catalogName())
                        .relativePath(relativePath(zoo.pretrainedUrl(type)))
                        .checksum(zoo.pretrainedChecksum(type))
                        .loader(
                                multiLayer
                                        ? GraphLoader.multiLayerNetwork()
                                        : GraphLoader.computationGraph())
                        .inputType(InputType.convolutional(height, width, channels))
                        .featureVertex(featureVertex)
                        .headVertices(headVertices.toArray(String[]::new));
        if (normalizer != null) {
            b.normalizer(normalizer);
        }
        return b.build();
    }

    /** The name in the catalog: DL4J's model name, plus the data set when not ImageNet. */
    public String catalogName() {
        String base = zooModel().modelName();
        return type == PretrainedType.IMAGENET
                ? base
                : base + "-" + type.name().toLowerCase(Locale.ROOT);
    }

    /** Strips DL4J's base download URL from a pretrained URL. */
    static String relativePath(String url) {
        String base = DL4JResources.getBaseDownloadURL();
        base = base.endsWith("/") ? base : base + "/";
        if (url.startsWith(base)) {
            return url.substring(base.length());
        }
        int models = url.indexOf("/models/");
        if (models < 0) {
            throw new IllegalStateException(
                    "unexpected DL4J pretrained URL '"
                            + url
                            + "': it does not start with the base URL "
                            + base);
        }
        return url.substring(models + 1);
    }
}
