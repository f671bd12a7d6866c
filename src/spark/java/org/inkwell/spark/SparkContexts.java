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
        return start(new SparkConf(), master);
    }

    /**
     * As {@link #start(String)}, with settings of the caller's in {@code conf} (the executors' options, say). On a
     * cluster it returns once the executors have registered (see {@link #awaitExecutors}), so that the training is
     * split over all of them.
     */
    public static JavaSparkContext start(SparkConf conf, String master) {
        conf.setIfMissing("spark.app.name", "inkwell-train")
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
        JavaSparkContext sc = new JavaSparkContext(conf);
        try {
            awaitExecutors(sc, java.time.Duration.ofSeconds(conf.getLong("spark.inkwell.executorWaitSeconds", 120)));
        } catch (RuntimeException e) {
            sc.stop();
            throw e;
        }
        return sc;
    }

    /** Executors registered with the driver's scheduler now (Scala's package-private method, public in Java). */
    public static int executors(JavaSparkContext sc) {
        return sc.sc().getExecutorIds().size();
    }

    /**
     * Tasks the registered executors can run at once (their cores over {@code spark.task.cpus}); Spark's
     * {@code defaultParallelism} says at least 2 even for one core. Scala's package-private method, public in Java.
     */
    public static int slots(JavaSparkContext sc) {
        return sc.sc().maxNumConcurrentTasks(sc.sc().resourceProfileManager().defaultResourceProfile());
    }

    /**
     * On a cluster, waits until the executors have registered: as many cores as {@code spark.cores.max} asks for
     * or as many executors as {@code spark.executor.instances}, else until the count has held still for five
     * seconds. Executors start after the context, so without this the first epoch would be split for the cores
     * that happened to be there. Nothing registered within {@code timeout} is an error that says where to look.
     */
    static void awaitExecutors(JavaSparkContext sc, java.time.Duration timeout) {
        String master = sc.master();
        if (master.startsWith("local")) {
            return;
        }
        SparkConf conf = sc.getConf();
        int wantCores = conf.getInt("spark.cores.max", 0);
        int wantExecutors = conf.getInt("spark.executor.instances", 0);
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = -1;
        long stableSince = System.nanoTime();
        while (true) {
            int n = executors(sc);
            int cores = slots(sc) * conf.getInt("spark.task.cpus", 1);
            if (n > 0 && ((wantCores > 0 && cores >= wantCores) || (wantExecutors > 0 && n >= wantExecutors))) {
                break;
            }
            if (n != seen) {
                seen = n;
                stableSince = System.nanoTime();
            } else if (n > 0 && wantCores == 0 && wantExecutors == 0 && System.nanoTime() - stableSince > 5_000_000_000L) {
                break;
            }
            if (System.nanoTime() > deadline) {
                if (n > 0) {
                    break;
                }
                throw new IllegalStateException("no executor registered with " + master + " within " + timeout.toSeconds()
                        + " s: are the workers up, with the cores and memory the application asks for (spark.executor.memory)?");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for executors", e);
            }
        }
    }
}
