package org.tl4j.core.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Damaged and crafted files for bad-input tests. */
public final class CraftedFiles {

    private CraftedFiles() {}

    /** An array in ND4J's binary format, as {@code Nd4j.write} writes it. */
    public static byte[] arrayBytes(INDArray array) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Nd4j.write(out, array);
        return out.toByteArray();
    }

    /**
     * An array's bytes with the element count in its value buffer's header replaced by {@code
     * claimed}; the values that follow are unchanged.
     */
    public static byte[] claiming(byte[] array, long claimed) {
        ByteBuffer b = ByteBuffer.wrap(array.clone());
        int shapeHeader = 2 + b.getShort(0);
        long shapeLength = b.getLong(shapeHeader);
        int typeName = shapeHeader + 8;
        int valueHeader = typeName + 2 + b.getShort(typeName) + (int) (8 * shapeLength);
        b.putLong(valueHeader + 2 + b.getShort(valueHeader), claimed);
        return b.array();
    }

    /** Rewrites the zip {@code file} with the entry {@code name} passed through {@code change}. */
    public static void rewriteEntry(Path file, String name, UnaryOperator<byte[]> change)
            throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(file);
                ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        }
        if (!entries.containsKey(name)) {
            throw new IllegalArgumentException("no entry " + name + " in " + entries.keySet());
        }
        entries.put(name, change.apply(entries.get(name)));
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
            }
        }
    }

    /** The entry names of a zip, in order. */
    public static java.util.List<String> entryNames(Path file) throws IOException {
        java.util.List<String> names = new java.util.ArrayList<>();
        try (InputStream in = Files.newInputStream(file);
                ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }
}
