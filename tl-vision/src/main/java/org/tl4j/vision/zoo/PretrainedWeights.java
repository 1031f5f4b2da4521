package org.tl4j.vision.zoo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.zip.Adler32;
import org.deeplearning4j.common.resources.DL4JResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tl4j.core.io.AtomicFiles;

/**
 * Finds, downloads and verifies pretrained weights files, the way DL4J's zoo does it ({@code
 * ZooModel.initPretrained}: {@code <base URL><relative path>}, cached as {@code <cache>/<model
 * name>/<file name>}, Adler32 checksum) but safe offline and with files that users supply.
 *
 * <ul>
 *   <li>A cached file is used when it exists and its checksum matches. When it does not match, an
 *       {@link IOException} names the file and both checksums, and the file is left in place: tl4j
 *       never deletes a file it did not write itself.
 *   <li>Otherwise the file is downloaded from {@code baseUrl + relativePath} (http, https or a
 *       {@code file:} mirror) to a temporary file beside the target, verified, then renamed into
 *       place in one step, so an interrupted download leaves nothing half-written.
 *   <li>When the download fails (offline, mirror missing the file), the message says the exact path
 *       to put the file at, its checksum, and how to set a mirror.
 * </ul>
 *
 * <p>Defaults: cache {@code ~/.deeplearning4j/models} (DL4J's own zoo cache, so weights that DL4J
 * downloaded before are reused); base URL from the system property {@value #MIRROR_PROPERTY}, else
 * the environment variable {@value #MIRROR_ENV}, else DL4J's {@code
 * DL4JResources.getBaseDownloadURL()}.
 */
public final class PretrainedWeights {

    private static final Logger log = LoggerFactory.getLogger(PretrainedWeights.class);

    /** System property that sets the default base (mirror) URL. */
    public static final String MIRROR_PROPERTY = "tl4j.zoo.mirror";

    /** Environment variable that sets the default base (mirror) URL. */
    public static final String MIRROR_ENV = "TL4J_ZOO_MIRROR";

    private final Path cacheDirectory;
    private final String baseUrl;
    private final Duration timeout;

    private PretrainedWeights(Builder b) {
        this.cacheDirectory = b.cacheDirectory;
        this.baseUrl = b.baseUrl.endsWith("/") ? b.baseUrl : b.baseUrl + "/";
        this.timeout = b.timeout;
    }

    /** Starts a configuration with the defaults described in the class comment. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults described in the class comment. */
    public static PretrainedWeights defaults() {
        return builder().build();
    }

    /** The cache root; an entry's file is {@code <root>/<entry name>/<file name>}. */
    public Path cacheDirectory() {
        return cacheDirectory;
    }

    /** The base URL that relative paths are resolved against, ending in '/'. */
    public String baseUrl() {
        return baseUrl;
    }

    /** Where the weights of {@code entry} are cached (whether or not the file exists). */
    public Path cachedFile(ZooEntry entry) {
        return cacheDirectory.resolve(entry.name()).resolve(entry.fileName());
    }

    /** The URL the weights of {@code entry} are downloaded from. */
    public String url(ZooEntry entry) {
        return baseUrl + entry.relativePath();
    }

    /**
     * Returns the verified local weights file of {@code entry}, downloading it if needed.
     *
     * @throws IOException if the cached file's checksum is wrong (the file is kept), or the
     *     download fails or gives a file with the wrong checksum
     */
    public Path fetch(ZooEntry entry) throws IOException {
        Path target = cachedFile(entry);
        if (Files.exists(target)) {
            verifyCached(entry, target);
            log.info("using cached weights {}", target);
            return target;
        }
        String url = url(entry);
        log.info("downloading {} weights from {} to {}", entry.name(), url, target);
        try {
            AtomicFiles.writePath(target, tmp -> downloadAndVerify(entry, url, tmp));
        } catch (ChecksumException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(offlineMessage(entry, url, target, e), e);
        }
        return target;
    }

    /** The Adler32 checksum of a file, as DL4J's zoo computes it. */
    public static long adler32(Path file) throws IOException {
        Adler32 adler = new Adler32();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                adler.update(buffer, 0, n);
            }
        }
        return adler.getValue();
    }

    private static void verifyCached(ZooEntry entry, Path file) throws IOException {
        long actual = adler32(file);
        if (actual != entry.checksum()) {
            throw new ChecksumException(
                    "cached weights file "
                            + file.toAbsolutePath()
                            + " has Adler32 checksum "
                            + actual
                            + " but entry '"
                            + entry.name()
                            + "' expects "
                            + entry.checksum()
                            + ". The file was left in place; replace"
                            + " it with the right file, or delete it to download again");
        }
    }

    private void downloadAndVerify(ZooEntry entry, String url, Path tmp) throws IOException {
        URLConnection connection = toUrl(url).openConnection();
        connection.setConnectTimeout((int) timeout.toMillis());
        connection.setReadTimeout((int) timeout.toMillis());
        try (InputStream in = connection.getInputStream();
                OutputStream out = Files.newOutputStream(tmp)) {
            in.transferTo(out);
        }
        long actual = adler32(tmp);
        if (actual != entry.checksum()) {
            throw new ChecksumException(
                    "weights downloaded from "
                            + url
                            + " have Adler32"
                            + " checksum "
                            + actual
                            + " but entry '"
                            + entry.name()
                            + "' expects "
                            + entry.checksum()
                            + " (the download was discarded; check the mirror)");
        }
    }

    private static URL toUrl(String url) throws IOException {
        try {
            return new URI(url).toURL();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IOException("malformed weights URL '" + url + "': " + e.getMessage(), e);
        }
    }

    private String offlineMessage(ZooEntry entry, String url, Path target, IOException e) {
        return "cannot download the weights of '"
                + entry.name()
                + "' from "
                + url
                + " ("
                + e.getClass().getSimpleName()
                + ": "
                + e.getMessage()
                + "). To work offline,"
                + " put the file at "
                + target.toAbsolutePath()
                + " (Adler32 "
                + entry.checksum()
                + "), or point the mirror at a folder or server holding "
                + entry.relativePath()
                + ": PretrainedWeights.builder().baseUrl(\"file:/path/to/mirror/\"), -D"
                + MIRROR_PROPERTY
                + "=URL or "
                + MIRROR_ENV
                + "=URL";
    }

    /** A checksum mismatch; not wrapped into the offline message. */
    private static final class ChecksumException extends IOException {
        ChecksumException(String message) {
            super(message);
        }
    }

    /** Builder for {@link PretrainedWeights}; {@link #build()} validates. */
    public static final class Builder {
        private Path cacheDirectory = DL4JResources.getBaseDirectory().toPath().resolve("models");
        private String baseUrl = defaultBaseUrl();
        private Duration timeout = Duration.ofSeconds(30);

        private Builder() {}

        /** Cache root; default {@code ~/.deeplearning4j/models}. */
        public Builder cacheDirectory(Path cacheDirectory) {
            this.cacheDirectory = Objects.requireNonNull(cacheDirectory, "cacheDirectory");
            return this;
        }

        /** Base or mirror URL: {@code http://}, {@code https://} or {@code file:}. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        /** Connect and read timeout of downloads, positive; default 30 s. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Validates and builds. */
        public PretrainedWeights build() {
            String scheme = baseUrl.contains(":") ? baseUrl.substring(0, baseUrl.indexOf(':')) : "";
            if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
                throw new IllegalArgumentException(
                        "baseUrl must start with http:, https: or"
                                + " file:; got '"
                                + baseUrl
                                + "'");
            }
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeout must be positive; got " + timeout);
            }
            return new PretrainedWeights(this);
        }

        private static String defaultBaseUrl() {
            String fromProperty = System.getProperty(MIRROR_PROPERTY);
            if (fromProperty != null && !fromProperty.isBlank()) {
                return fromProperty;
            }
            String fromEnv = System.getenv(MIRROR_ENV);
            return fromEnv != null && !fromEnv.isBlank()
                    ? fromEnv
                    : DL4JResources.getBaseDownloadURL();
        }
    }
}
