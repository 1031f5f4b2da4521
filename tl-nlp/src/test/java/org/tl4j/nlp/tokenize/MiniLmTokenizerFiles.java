package org.tl4j.nlp.tokenize;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Copies all-MiniLM-L6-v2's tokenizer.json from the model artifact on the classpath. */
public final class MiniLmTokenizerFiles {

    static final String RESOURCE = "/all-minilm-l6-v2-tokenizer.json";

    private MiniLmTokenizerFiles() {}

    public static Path tokenizerJson(Path dir) throws IOException {
        Path file = dir.resolve("tokenizer.json");
        try (InputStream in = MiniLmTokenizerFiles.class.getResourceAsStream(RESOURCE)) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return file;
    }
}
