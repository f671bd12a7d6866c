package org.inkwell.model;

import org.bytedeco.hdf5.Attribute;
import org.bytedeco.hdf5.DataSet;
import org.bytedeco.hdf5.DataSpace;
import org.bytedeco.hdf5.Group;
import org.bytedeco.hdf5.H5File;
import org.bytedeco.hdf5.H5Object;
import org.bytedeco.hdf5.PredType;
import org.bytedeco.hdf5.StrType;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.bytedeco.hdf5.global.hdf5.H5F_ACC_TRUNC;
import static org.bytedeco.hdf5.global.hdf5.H5S_SCALAR;

/**
 * Writes small, valid Keras 2 HDF5 models (the layout Keras' {@code model.save} produces) so tests can check
 * what importing a Keras file of another architecture does, without shipping any downloaded file.
 */
public final class KerasFiles {
    private KerasFiles() {
    }

    /** A functional model: input side x side x 1, then 3x3 "same" convolutions with these widths, the last sigmoid. */
    public static void writeConvNet(Path target, int side, int... filters) {
        Loader.load(org.bytedeco.hdf5.global.hdf5.class);
        StringBuilder layers = new StringBuilder("{\"name\": \"input_1\", \"class_name\": \"InputLayer\", \"config\": "
                + "{\"batch_input_shape\": [null, " + side + ", " + side + ", 1], \"dtype\": \"float32\", "
                + "\"sparse\": false, \"name\": \"input_1\"}, \"inbound_nodes\": []}");
        List<String> names = new ArrayList<>(List.of("input_1"));
        for (int i = 0; i < filters.length; i++) {
            String name = "conv2d_" + (i + 1);
            String activation = i == filters.length - 1 ? "sigmoid" : "relu";
            layers.append(String.format(Locale.ROOT, ", {\"name\": \"%s\", \"class_name\": \"Conv2D\", \"config\": {"
                    + "\"name\": \"%s\", \"trainable\": true, \"dtype\": \"float32\", \"filters\": %d, "
                    + "\"kernel_size\": [3, 3], \"strides\": [1, 1], \"padding\": \"same\", \"data_format\": \"channels_last\", "
                    + "\"dilation_rate\": [1, 1], \"activation\": \"%s\", \"use_bias\": true, "
                    + "\"kernel_initializer\": {\"class_name\": \"GlorotUniform\", \"config\": {\"seed\": null}}, "
                    + "\"bias_initializer\": {\"class_name\": \"Zeros\", \"config\": {}}, \"kernel_regularizer\": null, "
                    + "\"bias_regularizer\": null, \"activity_regularizer\": null, \"kernel_constraint\": null, "
                    + "\"bias_constraint\": null}, \"inbound_nodes\": [[[\"%s\", 0, 0, {}]]]}",
                    name, name, filters[i], activation, names.get(names.size() - 1)));
            names.add(name);
        }
        String config = "{\"class_name\": \"Model\", \"config\": {\"name\": \"model_1\", \"layers\": [" + layers
                + "], \"input_layers\": [[\"input_1\", 0, 0]], \"output_layers\": [[\"" + names.get(names.size() - 1)
                + "\", 0, 0]]}}";

        H5File file = new H5File(target.toString(), H5F_ACC_TRUNC());
        // Every group is closed before the file: HDF5 keeps a file open (and unflushed) while any of its objects is,
        // and the garbage collector would close them at some later moment.
        List<Group> open = new java.util.ArrayList<>();
        try {
            Group root = keep(open, file.openGroup("/"));
            stringAttribute(root, "keras_version", "2.3.1");
            stringAttribute(root, "backend", "tensorflow");
            stringAttribute(root, "model_config", config);
            Group weights = keep(open, file.createGroup("model_weights"));
            stringAttribute(weights, "keras_version", "2.3.1");
            stringAttribute(weights, "backend", "tensorflow");
            stringArrayAttribute(weights, "layer_names", names);
            stringArrayAttribute(keep(open, weights.createGroup("input_1")), "weight_names", List.of());
            SplittableRandom rng = new SplittableRandom(5);
            int in = 1;
            for (int i = 0; i < filters.length; i++) {
                String name = names.get(i + 1);
                Group layer = keep(open, weights.createGroup(name));
                stringArrayAttribute(layer, "weight_names", List.of(name + "/kernel:0", name + "/bias:0"));
                Group inner = keep(open, layer.createGroup(name));
                floatDataSet(inner, "kernel:0", new long[]{3, 3, in, filters[i]}, rng);
                floatDataSet(inner, "bias:0", new long[]{filters[i]}, rng);
                in = filters[i];
            }
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i)._close();
            }
            file._close();
        }
    }

    private static Group keep(List<Group> open, Group g) {
        open.add(g);
        return g;
    }

    private static void stringAttribute(H5Object owner, String name, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        StrType type = new StrType(PredType.C_S1(), bytes.length + 1);
        Attribute a = owner.createAttribute(name, type, new DataSpace(H5S_SCALAR));
        a.write(type, new BytePointer(java.util.Arrays.copyOf(bytes, bytes.length + 1)));
        a._close();
    }

    /** Fixed-length, NUL-padded strings, as h5py stores Keras' lists of names. */
    private static void stringArrayAttribute(H5Object owner, String name, List<String> values) {
        int width = Math.max(1, values.stream().mapToInt(String::length).max().orElse(1));
        byte[] packed = new byte[Math.max(1, values.size()) * width];
        for (int i = 0; i < values.size(); i++) {
            byte[] b = values.get(i).getBytes(StandardCharsets.UTF_8);
            System.arraycopy(b, 0, packed, i * width, b.length);
        }
        StrType type = new StrType(PredType.C_S1(), width);
        DataSpace space = values.isEmpty() ? new DataSpace(1, new long[]{0}, null) : new DataSpace(1, new long[]{values.size()}, null);
        Attribute a = owner.createAttribute(name, type, space);
        if (!values.isEmpty()) {
            a.write(type, new BytePointer(packed));
        }
        a._close();
    }

    private static void floatDataSet(Group group, String name, long[] dims, SplittableRandom rng) {
        int n = 1;
        for (long d : dims) {
            n *= (int) d;
        }
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (rng.nextDouble() - 0.5) * 0.2f;
        }
        DataSet ds = group.createDataSet(name, PredType.NATIVE_FLOAT(), new DataSpace(dims.length, dims, null));
        ds.write(new FloatPointer(values), PredType.NATIVE_FLOAT());
        ds._close();
    }
}
