package org.tl4j.core.lora;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.core.io.Nd4jArrays;

/**
 * Adapter-only files: the {@link LoraConfig}, the adapter matrices A and B, trained biases, the
 * parameters of the layers kept trainable, and a fingerprint of the frozen base model, in one zip.
 *
 * <p>Entries: {@code adapter_config.json} (the configuration), {@code adapter_manifest.json}
 * (format version, base fingerprint, tensor list) and {@code tensors/NNNN.bin} (ND4J binary, as
 * written by {@link Nd4j#write(OutputStream, INDArray)}). Arrays take about 4 bytes per float
 * parameter; no Java serialisation is involved.
 *
 * <p>The fingerprint is SHA-256 over the name, shape, type and bytes of every frozen base parameter
 * (layers in topological order; adapter matrices, trained biases and kept layers excluded), so that
 * it can be computed both on the base graph and on the adapted one. Saves are atomic: a temporary
 * file in the target directory is moved over the target.
 */
public final class LoraAdapters {

    /** The manifest's format name. */
    public static final String FORMAT = "tl4j-lora-adapter";

    /** The manifest's format version written by this class. */
    public static final int VERSION = 1;

    private static final Logger log = LoggerFactory.getLogger(LoraAdapters.class);
    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String CONFIG_ENTRY = "adapter_config.json";
    private static final String MANIFEST_ENTRY = "adapter_manifest.json";

    private LoraAdapters() {}

    /**
     * The manifest of an adapter file.
     *
     * @param format always {@link #FORMAT}
     * @param version the format version
     * @param baseFingerprint SHA-256 (hex) of the frozen base parameters
     * @param tensors the saved arrays, in entry order
     */
    public record Manifest(
            String format, int version, String baseFingerprint, List<TensorEntry> tensors) {}

    /**
     * One saved array.
     *
     * @param layer the layer (vertex) name
     * @param param the parameter key within the layer
     * @param entry the zip entry holding it
     */
    public record TensorEntry(String layer, String param, String entry) {}

    /**
     * Writes the adapter of {@code adapted} (a graph returned by {@link Lora#apply} with this
     * {@code config}) to {@code file}, atomically.
     *
     * @throws IllegalStateException when adapters are merged (W no longer holds the base weights)
     * @throws IllegalArgumentException when the graph was not adapted with this configuration
     */
    public static void save(ComputationGraph adapted, LoraConfig config, Path file)
            throws IOException {
        checkSavable(adapted, config);
        List<TensorEntry> entries = new ArrayList<>();
        List<INDArray> arrays = new ArrayList<>();
        collectTensors(adapted, config, entries, arrays);
        Manifest manifest = new Manifest(FORMAT, VERSION, fingerprint(adapted, config), entries);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(tmp))) {
                writeEntry(zip, CONFIG_ENTRY, config.toJson().getBytes(StandardCharsets.UTF_8));
                writeEntry(zip, MANIFEST_ENTRY, MAPPER.writeValueAsBytes(manifest));
                for (int i = 0; i < arrays.size(); i++) {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    Nd4j.write(bytes, arrays.get(i));
                    writeEntry(zip, entries.get(i).entry(), bytes.toByteArray());
                }
            }
            moveAtomically(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
        log.info("Saved LoRA adapter ({} arrays) to {}", arrays.size(), file);
    }

    /**
     * Applies the adapter in {@code file} to {@code base}: a new graph with the saved A, B, biases
     * and kept layers; {@code base} is not modified.
     *
     * @throws IllegalArgumentException when {@code base} is not the model the adapter was trained
     *     on (fingerprint mismatch), or the file is not an adapter file
     */
    public static ComputationGraph load(ComputationGraph base, Path file) throws IOException {
        Map<String, byte[]> zip = readZip(file);
        LoraConfig config = LoraConfig.fromJson(text(zip, CONFIG_ENTRY, file));
        Manifest manifest = readManifest(text(zip, MANIFEST_ENTRY, file), file);
        LoraPlan.resolve(base, config);
        String actual = fingerprint(base, config);
        if (!actual.equals(manifest.baseFingerprint())) {
            throw new IllegalArgumentException(
                    "adapter "
                            + file
                            + " was trained on a different base model: its base "
                            + "fingerprint is "
                            + manifest.baseFingerprint()
                            + ", this graph's is "
                            + actual
                            + ". Load it onto the base model it was trained from.");
        }
        ComputationGraph adapted = Lora.apply(base, config);
        for (TensorEntry t : manifest.tensors()) {
            restore(adapted, t, zip.get(t.entry()), file);
        }
        return adapted;
    }

    /** The configuration stored in an adapter file. */
    public static LoraConfig readConfig(Path file) throws IOException {
        return LoraConfig.fromJson(text(readZip(file), CONFIG_ENTRY, file));
    }

    /**
     * SHA-256 (hex) over the frozen base parameters of {@code graph} under {@code config}; equal
     * for a base graph and for the graph {@link Lora#apply} made from it.
     */
    public static String fingerprint(ComputationGraph graph, LoraConfig config) {
        MessageDigest sha = sha256();
        for (Layer layer : graph.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            if (LoraPlan.matchesAny(config.modulesToSave(), name)) {
                continue;
            }
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                if (!isFrozenBaseParam(layer, name, p.getKey(), config)) {
                    continue;
                }
                INDArray a = p.getValue();
                sha.update(
                        (name + "/" + p.getKey() + Arrays.toString(a.shape()) + a.dataType())
                                .getBytes(StandardCharsets.UTF_8));
                sha.update(ByteBuffer.wrap(a.dup('c').data().asBytes()));
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static boolean isFrozenBaseParam(
            Layer layer, String name, String key, LoraConfig config) {
        if (LoraParamInitializer.A_KEY.equals(key) || LoraParamInitializer.B_KEY.equals(key)) {
            if (layer.conf().getLayer() instanceof LoraDenseLayer) {
                return false;
            }
        }
        org.deeplearning4j.nn.conf.layers.Layer conf = layer.conf().getLayer();
        if (conf instanceof BaseWrapperLayer) {
            conf = ((BaseWrapperLayer) conf).getUnderlying();
        }
        boolean bias = conf.initializer().isBiasParam(conf, key);
        boolean target = LoraPlan.isTarget(config, name);
        boolean biasTrains =
                config.bias() == LoraBias.ALL || (config.bias() == LoraBias.LORA_ONLY && target);
        return !(bias && biasTrains);
    }

    private static void collectTensors(
            ComputationGraph adapted,
            LoraConfig config,
            List<TensorEntry> entries,
            List<INDArray> arrays) {
        for (Layer layer : adapted.getLayers()) {
            String name = layer.conf().getLayer().getLayerName();
            boolean kept = LoraPlan.matchesAny(config.modulesToSave(), name);
            for (Map.Entry<String, INDArray> p : layer.paramTable().entrySet()) {
                boolean trained = !isFrozenBaseParam(layer, name, p.getKey(), config);
                if (kept || trained) {
                    String entry = String.format("tensors/%04d.bin", arrays.size());
                    entries.add(new TensorEntry(name, p.getKey(), entry));
                    arrays.add(p.getValue());
                }
            }
        }
    }

    private static void checkSavable(ComputationGraph adapted, LoraConfig config) {
        List<LoraDenseLayerImpl> lora = Lora.loraLayers(adapted);
        for (LoraDenseLayerImpl l : lora) {
            String name = l.layerConf().getLayerName();
            if (l.layerConf().isMerged()) {
                throw new IllegalStateException(
                        "LoRA layer '"
                                + name
                                + "' is merged; call Lora.unmerge(graph) before "
                                + "saving the adapter");
            }
            long rank = l.layerConf().getRank();
            if (!LoraPlan.isTarget(config, name) || rank != config.rankFor(name)) {
                throw new IllegalArgumentException(
                        "LoRA layer '"
                                + name
                                + "' (rank "
                                + rank
                                + ") does not "
                                + "match the configuration "
                                + config
                                + "; pass the configuration "
                                + "the graph was adapted with");
            }
        }
        if (lora.isEmpty()) {
            throw new IllegalArgumentException(
                    "graph has no LoRA layers; save the graph returned by Lora.apply");
        }
    }

    private static void restore(ComputationGraph adapted, TensorEntry t, byte[] bytes, Path file) {
        if (bytes == null) {
            throw new IllegalArgumentException(
                    "adapter " + file + " lacks entry " + t.entry() + " listed in its manifest");
        }
        INDArray saved = readArray(bytes, "adapter " + file + " entry " + t.entry());
        INDArray target = adapted.getLayer(t.layer()).getParam(t.param());
        if (!Arrays.equals(saved.shape(), target.shape())) {
            throw new IllegalArgumentException(
                    "adapter "
                            + file
                            + ": "
                            + t.layer()
                            + "/"
                            + t.param()
                            + " has shape "
                            + Arrays.toString(saved.shape())
                            + " but the graph expects "
                            + Arrays.toString(target.shape()));
        }
        target.assign(saved);
    }

    private static INDArray readArray(byte[] bytes, String source) {
        try {
            return Nd4jArrays.read(bytes, source);
        } catch (IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static Map<String, byte[]> readZip(Path file) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        return entries;
    }

    private static String text(Map<String, byte[]> zip, String entry, Path file) {
        byte[] bytes = zip.get(entry);
        if (bytes == null) {
            throw new IllegalArgumentException(
                    file
                            + " is not a LoRA adapter file: entry "
                            + entry
                            + " is missing; entries: "
                            + zip.keySet());
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static Manifest readManifest(String json, Path file) {
        try {
            Manifest m = MAPPER.readValue(json, Manifest.class);
            if (!FORMAT.equals(m.format()) || m.version() > VERSION) {
                throw new IllegalArgumentException(
                        file
                                + " has format "
                                + m.format()
                                + " version "
                                + m.version()
                                + "; this version reads "
                                + FORMAT
                                + " up to version "
                                + VERSION);
            }
            return m;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + " has an unreadable manifest", e);
        }
    }

    private static void writeEntry(ZipOutputStream zip, String name, byte[] bytes)
            throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static void moveAtomically(Path tmp, Path file) throws IOException {
        try {
            Files.move(
                    tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            log.warn(
                    "atomic move not supported in {}; replacing {} non-atomically",
                    file.getParent(),
                    file);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
