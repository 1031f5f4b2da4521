package org.tl4j.core.keras;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.DataType;
import org.bytedeco.hdf5.Group;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.deeplearning4j.nn.modelimport.keras.Hdf5Archive;
import org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A Keras 2 HDF5 model file opened read-only through DL4J's {@link Hdf5Archive}. The format is
 * checked from the file's first bytes before HDF5 sees it, and string attributes are read with
 * buffers sized from the attribute's own type (DL4J's attribute readers guess a buffer size). Calls
 * are serialised on {@link Hdf5Archive#LOCK_OBJECT}: the HDF5 library is not thread-safe.
 */
final class KerasFile implements AutoCloseable {

    /** The HDF5 format signature, at offset 0 or at a power of two from 512 (user block). */
    private static final byte[] HDF5_SIGNATURE = {
        (byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'
    };

    private static final byte[] ZIP_SIGNATURE = {'P', 'K', 3, 4};

    static final String SUPPORTED_FORMATS =
            "tl4j imports Keras 2 models saved as HDF5 (.h5: model.save(\"model.h5\") in Keras 2,"
                    + " or tf.keras with save_format=\"h5\")";

    private final Path path;
    private final Hdf5Archive archive;

    private KerasFile(Path path, Hdf5Archive archive) {
        this.path = path;
        this.archive = archive;
    }

    /**
     * Opens {@code path} after checking that it is an HDF5 file.
     *
     * @throws IllegalArgumentException when the file is missing, a zip archive (Keras 3's {@code
     *     .keras}) or not HDF5; the message names the supported formats
     */
    static KerasFile open(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("Keras model file not found: " + path);
        }
        byte[] head = firstBytes(path, 8);
        if (startsWith(head, ZIP_SIGNATURE)) {
            throw new IllegalArgumentException(
                    path
                            + " is a zip archive (the Keras 3 \".keras\" format or a SavedModel"
                            + " archive), which tl4j does not read. "
                            + SUPPORTED_FORMATS
                            + "; in Keras 3, model.save(\"model.h5\") writes HDF5 but with a"
                            + " Keras 3 configuration, which is not supported either");
        }
        if (!isHdf5(path)) {
            throw new IllegalArgumentException(
                    path
                            + " is not an HDF5 file (first bytes "
                            + hex(head)
                            + "). "
                            + SUPPORTED_FORMATS);
        }
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            try {
                return new KerasFile(path, new Hdf5Archive(path.toString()));
            } catch (RuntimeException e) {
                // The HDF5 library reports a damaged or truncated file as a native exception
                throw new IllegalArgumentException(
                        path
                                + " has an HDF5 signature but cannot be opened (damaged or"
                                + " truncated?): "
                                + e.getMessage(),
                        e);
            }
        }
    }

    /**
     * @return the path this file was opened from
     */
    Path path() {
        return path;
    }

    /** Whether the group at {@code groups} (from the root; empty for the root) has {@code name}. */
    boolean hasAttribute(String name, String... groups) {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            return groups.length == 0
                    ? archive.hasAttribute(name, "/")
                    : archive.hasAttribute(name, groups);
        }
    }

    /** Names of the attributes of the root group. */
    List<String> rootAttributeNames() {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            Group[] root = archive.openGroups("/");
            try {
                List<String> names = new ArrayList<>();
                for (int i = 0; i < root[0].getNumAttrs(); i++) {
                    Attribute a = root[0].openAttribute(i);
                    names.add(a.getName().getString(StandardCharsets.UTF_8));
                    a.deallocate();
                }
                return names;
            } finally {
                archive.closeGroups(root);
            }
        }
    }

    /**
     * Reads a string attribute (scalar or 1-D array; fixed-length as Keras writes it, or
     * variable-length as h5py writes {@code str}).
     *
     * @param name attribute name
     * @param groups group path from the root; empty for the root
     * @return one string per element
     * @throws IllegalArgumentException when the attribute is not a string
     */
    List<String> readStrings(String name, String... groups) {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            Group[] path = archive.openGroups(groups.length == 0 ? new String[] {"/"} : groups);
            Attribute a = path[path.length - 1].openAttribute(name);
            try {
                return readStrings(a, name);
            } finally {
                a.deallocate();
                archive.closeGroups(path);
            }
        }
    }

    private List<String> readStrings(Attribute a, String name) {
        DataType type = a.getDataType();
        DataSpace space = a.getSpace();
        try {
            if (type._getClass() != org.bytedeco.hdf5.global.hdf5.H5T_STRING) {
                throw new IllegalArgumentException(
                        path
                                + ": attribute '"
                                + name
                                + "' is not a string (HDF5 type class "
                                + type._getClass()
                                + ")");
            }
            int count = (int) space.getSimpleExtentNpoints();
            return type.isVariableStr() ? readVariable(a, type, count) : readFixed(a, type, count);
        } finally {
            space.deallocate();
            type.deallocate();
        }
    }

    private static List<String> readFixed(Attribute a, DataType type, int count) {
        int size = (int) type.getSize();
        BytePointer buffer = new BytePointer((long) size * count);
        try {
            // The Pointer overload: read(DataType, BytePointer) is the std::string one
            a.read(type, (Pointer) buffer);
            byte[] bytes = new byte[size * count];
            buffer.get(bytes);
            List<String> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int end = i * size;
                while (end < (i + 1) * size && bytes[end] != 0) {
                    end++;
                }
                out.add(new String(bytes, i * size, end - i * size, StandardCharsets.UTF_8));
            }
            return out;
        } finally {
            buffer.deallocate();
        }
    }

    private static List<String> readVariable(Attribute a, DataType type, int count) {
        PointerPointer<BytePointer> pointers = new PointerPointer<>(count);
        try {
            a.read(type, pointers);
            List<String> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                BytePointer s = pointers.get(BytePointer.class, i);
                out.add(s == null ? "" : s.getString(StandardCharsets.UTF_8));
            }
            DataSpace space = a.getSpace();
            org.bytedeco.hdf5.global.hdf5.H5Treclaim(
                    type.getId(),
                    space.getId(),
                    org.bytedeco.hdf5.global.hdf5.H5P_DEFAULT(),
                    pointers);
            space.deallocate();
            return out;
        } finally {
            pointers.deallocate();
        }
    }

    /** Child groups of the group at {@code groups}. */
    List<String> groups(String... groups) {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            return archive.getGroups(groups);
        }
    }

    /** Data sets directly in the group at {@code groups}. */
    List<String> dataSets(String... groups) {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            return archive.getDataSets(groups);
        }
    }

    /**
     * Reads a float data set (rank 1 to 5).
     *
     * @param name data set name
     * @param groups its group path from the root
     */
    INDArray readDataSet(String name, String... groups) {
        synchronized (Hdf5Archive.LOCK_OBJECT) {
            try {
                return archive.readDataSet(name, groups);
            } catch (UnsupportedKerasConfigurationException | RuntimeException e) {
                throw new IllegalArgumentException(
                        path
                                + ": data set "
                                + String.join("/", groups)
                                + "/"
                                + name
                                + ": "
                                + e.getMessage(),
                        e);
            }
        }
    }

    @Override
    public void close() {
        archive.close();
    }

    private static boolean isHdf5(Path path) {
        try {
            long size = Files.size(path);
            byte[] at0 = firstBytes(path, HDF5_SIGNATURE.length);
            if (Arrays.equals(at0, HDF5_SIGNATURE)) {
                return true;
            }
            for (long offset = 512; offset + HDF5_SIGNATURE.length <= size; offset *= 2) {
                if (Arrays.equals(bytesAt(path, offset, HDF5_SIGNATURE.length), HDF5_SIGNATURE)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static byte[] firstBytes(Path path, int n) {
        try {
            return bytesAt(path, 0, n);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static byte[] bytesAt(Path path, long offset, int n) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            in.skipNBytes(offset);
            return in.readNBytes(n);
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length
                && Arrays.equals(Arrays.copyOf(bytes, prefix.length), prefix);
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x ", b & 0xff));
        }
        return sb.toString().trim();
    }
}
