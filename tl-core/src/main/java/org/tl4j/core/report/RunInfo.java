package org.tl4j.core.report;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Where and how a comparison ran, so that two reports can be compared: machine, backend, seed, data
 * sizes and tl4j version.
 *
 * @param entries ordered name/value pairs shown in the report
 */
public record RunInfo(Map<String, String> entries) {

    /** tl4j's version, from the jar manifest when packaged. */
    public static final String VERSION = versionOf(RunInfo.class);

    /** Copies the entries, keeping their order. */
    public RunInfo {
        entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /**
     * The machine, JVM, ND4J backend and tl4j version, plus the given run settings.
     *
     * @param settings e.g. seed, data sizes, epochs; shown after the machine's entries
     */
    public static RunInfo current(Map<String, String> settings) {
        Map<String, String> e = new LinkedHashMap<>();
        e.put("tl4j", VERSION);
        e.put(
                "machine",
                System.getProperty("os.name")
                        + " "
                        + System.getProperty("os.arch")
                        + ", "
                        + Runtime.getRuntime().availableProcessors()
                        + " cores, max heap "
                        + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                        + " MiB");
        e.put(
                "java",
                System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        e.put(
                "backend",
                Nd4j.getBackend().getClass().getSimpleName()
                        + ", "
                        + Nd4j.dataType()
                        + " (ND4J "
                        + versionOf(Nd4j.class)
                        + ")");
        e.putAll(settings);
        return new RunInfo(e);
    }

    private static String versionOf(Class<?> type) {
        String v = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }
}
