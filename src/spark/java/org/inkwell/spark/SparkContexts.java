package org.inkwell.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Spark contexts for Inkwell's training: Kryo with ND4J's registrator; a local master talks only to loopback. */
public final class SparkContexts {
    private SparkContexts() {
    }

    /**
     * A context for {@code master} ({@code local[2]}, {@code spark://...}, {@code yarn}); null keeps what
     * spark-submit configured.
     */
    public static JavaSparkContext start(String master) {
        SparkConf conf = new SparkConf().setAppName("inkwell-train")
                .setIfMissing("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .setIfMissing("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator");
        if (master != null) {
            conf.setMaster(master);
        }
        // Executors in JVMs of their own load ND4J before any Inkwell code runs there: they need the same native
        // variant (oneDNN) and layer-helper setting as the driver, given on their command line.
        String nd4j = "-Dorg.bytedeco.javacpp.platform.extension=" + System.getProperty("org.bytedeco.javacpp.platform.extension", "-onednn")
                + " -Dorg.eclipse.deeplearning4j.helpers.disable=false";
        String executorOptions = conf.get("spark.executor.extraJavaOptions", "");
        if (!executorOptions.contains("org.bytedeco.javacpp.platform.extension")) {
            conf.set("spark.executor.extraJavaOptions", (executorOptions + " " + nd4j).trim());
        }
        if (conf.get("spark.master", "local").startsWith("local")) {
            // Nothing outside this machine needs to reach a local run: bind to loopback, no web UI.
            conf.set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1").set("spark.ui.enabled", "false");
        }
        return new JavaSparkContext(conf);
    }
}
