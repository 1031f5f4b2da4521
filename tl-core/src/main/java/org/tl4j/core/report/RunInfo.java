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
    public static final String VERSION = mavenVersion("org.tl4j", "tl-core");

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
                        + mavenVersion("org.nd4j", "nd4j-api")
                        + ")");
        e.putAll(settings);
        return new RunInfo(e);
    }

    /** The version in a jar's Maven metadata on the class path, if it is there. */
    private static String mavenVersion(String group, String artifact) {
        String resource = "/META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (java.io.InputStream in = RunInfo.class.getResourceAsStream(resource)) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (java.io.IOException e) {
            // fall through: the version is informative only
        }
        return "unknown (not from a packaged jar)";
    }
}
