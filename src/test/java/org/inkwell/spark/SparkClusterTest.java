package org.inkwell.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageFiles;
import org.inkwell.data.SignatureGenerator;
import org.inkwell.model.ModelStore;
import org.inkwell.model.TrainingConfig;
import org.inkwell.model.TrainingHistory;
import org.inkwell.runtime.Dl4jRuntime;
import org.inkwell.train.CheckpointStore;
import org.inkwell.train.TrainingListener;
import org.inkwell.train.TrainingResult;
import org.inkwell.ui.service.ModelService;
import org.inkwell.ui.task.DirectTaskExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * spark-train on a Spark standalone cluster of separate JVMs on this machine (issue #30): a master and two workers
 * started by {@code packaging/scripts/spark-cluster.sh}, bound to 127.0.0.1, each worker starting its executor JVMs.
 * The cluster has the dependency jars only; Inkwell's classes reach the executors in the application jar, as with
 * spark-submit. Drivers run in this JVM (to look inside) or as spark-submit processes (to kill them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkClusterTest {
    @TempDir
    static Path dir;
    private static Path cluster;
    private static String url;
    private static Path app;
    private static String javaOptions;
    /** Every process of the cluster seen during the tests: none may outlive it. */
    private static final Set<Long> seen = ConcurrentHashMap.newKeySet();
    private static Map<String, Long> daemons;

    @BeforeAll
    static void startCluster() throws Exception {
        Dl4jRuntime.init();
        app = appJar(dir.resolve("inkwell-app.jar"));
        cluster = dir.resolve("cluster");
        // The cluster's JVMs keep off the user's home; ND4J's natives come from the cache the tests already use.
        javaOptions = "-Duser.home=" + Files.createDirectories(dir.resolve("home"))
                + " -Dorg.bytedeco.javacpp.cachedir=" + System.getProperty("org.bytedeco.javacpp.cachedir",
                Path.of(System.getProperty("user.home"), ".javacpp", "cache").toString())
                + " -Dorg.bytedeco.javacpp.maxbytes=3G -Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("jvm-tmp"));
        String out = script(240, "start", cluster.toString(), "--workers", "2", "--cores", "1", "--memory", "3g");
        url = Files.readString(cluster.resolve("master-url")).strip();
        assertTrue(out.strip().endsWith(url) && url.startsWith("spark://127.0.0.1:"), out);
        daemons = pids();
        assertEquals(Set.of("master", "worker-1", "worker-2"), daemons.keySet(), daemons.toString());
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster == null) {
            return;
        }
        seen.addAll(pids().values());
        script(120, "stop", cluster.toString());
        for (long pid : seen) {
            ProcessHandle.of(pid).ifPresent(h -> assertFalse(h.isAlive(), "process " + pid + " outlived the cluster"));
        }
        try (var left = Files.list(cluster)) {
            assertEquals(List.of("logs"), left.map(p -> p.getFileName().toString()).toList(), "stop leaves only the logs");
        }
    }

    @Test
    @Order(1)
    void executorsRunInJvmsOfTheirOwnAndTheirAveragedStepsEqualTheLocalOnes() throws Exception {
        try (JavaSparkContext sc = driver(4)) {
            assertEquals(2, SparkContexts.executors(sc), "both workers' executors registered before training starts");
            assertEquals(2, SparkContexts.slots(sc));
            Map<String, Long> executors = executorPids(sc);
            assertEquals(2, executors.size(), executors.toString());
            long me = ProcessHandle.current().pid();
            Set<Long> workers = Set.of(daemons.get("worker-1"), daemons.get("worker-2"));
            Set<Long> parents = new HashSet<>();
            for (long pid : executors.values()) {
                assertNotEquals(me, pid, "an executor in the driver's JVM");
                ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
                assertTrue(h.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"), h.info().toString());
                parents.add(h.parent().orElseThrow().pid());
            }
            assertEquals(workers, parents, "one executor JVM under each worker");

            // Parameters and Adam's state cross JVMs and come back averaged as on local[2].
            ParameterAveragingSparkTest.averagingEveryStepEqualsOneStepOnTheMergedBatch(sc);
            ParameterAveragingSparkTest.adamsStateIsAveraged(sc);
        }
    }

    @Test
    @Order(2)
    void aRoundTheClusterCannotFinishStopsWithACheckpointThatResumes() throws Exception {
        Path checkpoints = dir.resolve("failed-checkpoints");
        TrainingConfig config = new TrainingConfig("seed", TrainingConfig.ADAM, 3e-3, 8, 8, 2, "seed", 96, 0, true,
                "pepper:0.1", 7, 4, 3, 0, SparkData.specOf("generator:16"));
        // One failure ends a job: the executor killed while it trains a round takes the job down with it.
        try (JavaSparkContext sc = driver(1)) {
            Map<String, Long> executors = executorPids(sc);
            Killer killer = new Killer(executors);
            sc.sc().addSparkListener(killer);
            SparkTrainer trainer = new SparkTrainer(sc, config, SparkData.of(config), checkpoints, 4);
            SparkTrainer.ClusterFailure failure = assertThrows(SparkTrainer.ClusterFailure.class, () -> trainer.run(new TrainingListener() {
                @Override
                public void epochFinished(TrainingHistory.Epoch e, Path checkpoint) {
                    killer.armed = true; // in epoch 2
                }
            }, () -> false));
            assertTrue(killer.killed != null, "an executor was killed in a training round");
            String message = failure.getMessage();
            Path interrupted = checkpoints.resolve(CheckpointStore.INTERRUPTED);
            assertTrue(message.startsWith("the Spark job failed in epoch 2 after averaging round 0 of ")
                    && message.endsWith("continue with --resume " + interrupted) && !message.contains("\n"), message);
            ModelStore.StoredModel saved = ModelStore.load(interrupted, true);
            assertEquals(1, saved.history().epochs().size());
            assertEquals(8, saved.metadata().step());

            // The master starts a new executor for the lost one; the resumed run finishes the epoch.
            TrainingResult r = new SparkTrainer(sc, config, SparkData.of(config), checkpoints, 4).keeping(interrupted)
                    .resume(saved, new TrainingListener() {
                    }, () -> false);
            assertEquals(TrainingResult.Status.COMPLETED, r.status());
            assertEquals(2, r.history().epochs().size());
            assertEquals(16, r.metadata().step());
        }
    }

    @Test
    @Order(3)
    void submittedTrainingGoesOnWhenAnExecutorDiesAndItsModelCleansInTheWorkbench() throws Exception {
        Path out = dir.resolve("generator.zip");
        Path log = dir.resolve("generator.log");
        Path masterLog = cluster.resolve("logs/master.log");
        long before = Files.size(masterLog);
        Process driver = submit(log, "--data", "generator:16", "--arch", "seed", "--optimizer", "adam", "--size", "64",
                "--batch", "8", "--steps", "16", "--epochs", "3", "--validation", "4", "--average-every", "2", "-o", out.toString());
        try {
            awaitLine(driver, log, "epoch 1: validation");
            Map<String, Long> executors = pidsOf("executor");
            assertEquals(2, executors.size(), executors.toString());
            assertFalse(executors.containsValue(driver.pid()), "executors run apart from the driver");
            long victim = executors.values().iterator().next();
            ProcessHandle.of(victim).orElseThrow().destroyForcibly(); // SIGKILL, in epoch 2
            assertTrue(driver.waitFor(300, TimeUnit.SECONDS), Files.readString(log));
        } finally {
            driver.destroyForcibly();
        }
        String text = Files.readString(log);
        assertEquals(0, driver.exitValue(), text);
        assertTrue(text.contains("Spark " + url + ": 2 executors, 2 cores") && text.contains("epoch 3: validation"), text);
        String master = Files.readString(masterLog).substring((int) before);
        assertTrue(master.contains("because it is EXITED") && master.contains("Launching executor"),
                "the master saw the executor die and started another: " + master);
        assertCleans(out, 3);
    }

    @Test
    @Order(4)
    void aKilledDriverResumesFromItsLastCheckpointOnImagesFromAFolder() throws Exception {
        Path images = Files.createDirectories(dir.resolve("signatures"));
        SignatureGenerator gen = new SignatureGenerator(5);
        for (int i = 0; i < 20; i++) {
            ImageFiles.writePng(gen.generate(i).toBufferedImage(), images.resolve("sig-" + i + ".png"));
        }
        Path out = dir.resolve("folder.zip");
        Path log = dir.resolve("folder.log");
        List<String> args = List.of("--data", images.toString(), "--arch", "seed", "--optimizer", "adam", "--size", "64",
                "--batch", "8", "--steps", "8", "--epochs", "3", "--average-every", "2", "-o", out.toString());
        Process first = submit(log, args.toArray(String[]::new));
        try {
            awaitLine(first, log, "epoch 1: validation");
            first.destroyForcibly(); // SIGKILL: nothing of the driver's shutdown runs
            assertTrue(first.waitFor(60, TimeUnit.SECONDS));
        } finally {
            first.destroyForcibly();
        }
        Path checkpoints = dir.resolve("folder-checkpoints");
        Path last;
        try (var s = Files.list(checkpoints)) {
            last = s.filter(p -> p.getFileName().toString().startsWith("epoch-")).sorted().reduce((a, b) -> b).orElseThrow();
        }
        assertFalse(Files.exists(out), "the killed run wrote no model");

        Path resumedLog = dir.resolve("folder-resumed.log");
        Process resumed = submit(resumedLog, "--resume", last.toString(), "-o", out.toString());
        try {
            assertTrue(resumed.waitFor(300, TimeUnit.SECONDS), Files.readString(resumedLog));
        } finally {
            resumed.destroyForcibly();
        }
        String text = Files.readString(resumedLog);
        assertEquals(0, resumed.exitValue(), text);
        assertTrue(text.contains("epoch 3: validation") && !text.contains("epoch 1: validation"), text);
        ModelStore.StoredModel m = assertCleans(out, 3);
        assertEquals("folder:" + images.toRealPath(), m.metadata().training().dataSource());
    }

    /** The model opens in the workbench's model service and cleans a signature; it has {@code epochs} epochs. */
    private static ModelStore.StoredModel assertCleans(Path model, int epochs) throws Exception {
        ModelStore.StoredModel m = ModelStore.load(model, true);
        assertEquals(epochs, m.history().epochs().size());
        ModelService models = new ModelService(new DirectTaskExecutor());
        models.load(model).get();
        GrayImage scan = org.inkwell.data.Preprocess.resizeNearest(new SignatureGenerator(9).generate(3), 96, 64);
        GrayImage cleaned = models.reconstruct(scan).get();
        assertEquals(scan.width(), cleaned.width());
        assertFalse(cleaned.equals(scan), "the model made its own reconstruction");
        return m;
    }

    /** Kills the executor that starts a task of a training round once armed (its process id from {@code pids}). */
    private static final class Killer extends SparkListener {
        private final Map<String, Long> pids;
        private final Map<Integer, String> stages = new ConcurrentHashMap<>();
        volatile boolean armed;
        volatile Long killed;

        Killer(Map<String, Long> pids) {
            this.pids = pids;
        }

        @Override
        public void onStageSubmitted(SparkListenerStageSubmitted e) {
            stages.put(e.stageInfo().stageId(), e.stageInfo().name());
        }

        @Override
        public void onTaskStart(SparkListenerTaskStart e) {
            if (armed && killed == null && stages.getOrDefault(e.stageId(), "").startsWith("reduce at PlannedAveraging")) {
                Long pid = pids.get(e.taskInfo().executorId());
                if (pid != null) {
                    killed = pid;
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
    }

    /** A driver in this JVM on the cluster; {@code maxFailures} tries per task. */
    private static JavaSparkContext driver(int maxFailures) throws IOException {
        SparkConf conf = new SparkConf().setAppName("inkwell-cluster-test")
                .set("spark.jars", app.toString())
                .set("spark.cores.max", "2")
                .set("spark.task.maxFailures", String.valueOf(maxFailures))
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1")
                .set("spark.ui.enabled", "false")
                .set("spark.executor.extraJavaOptions", "-Djava.io.tmpdir=" + cluster.resolve("tmp") + " " + javaOptions)
                .set("spark.executorEnv.OMP_NUM_THREADS", "1");
        return SparkContexts.start(conf, url);
    }

    /** Executor id to process id, asked of the executors themselves. */
    private static Map<String, Long> executorPids(JavaSparkContext sc) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String s : sc.parallelize(List.of(0, 1, 2, 3, 4, 5, 6, 7), 8)
                .map(i -> SparkEnv.get().executorId() + "=" + ProcessHandle.current().pid()).collect()) {
            String[] kv = s.split("=");
            m.put(kv[0], Long.parseLong(kv[1]));
        }
        seen.addAll(m.values());
        return m;
    }

    /** {@code spark-cluster.sh submit}: spark-train as a driver process of its own, its output in {@code log}. */
    private static Process submit(Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", script().toString(), "submit", cluster.toString(),
                "--conf", "spark.cores.max=2", "--"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        environment(pb);
        pb.environment().put("INKWELL_HEAP", "1g");
        return pb.start();
    }

    private static void awaitLine(Process p, Path log, String text) throws Exception {
        long deadline = System.currentTimeMillis() + 240_000;
        while (System.currentTimeMillis() < deadline && p.isAlive() && !Files.readString(log).contains(text)) {
            Thread.sleep(100);
        }
        assertTrue(Files.readString(log).contains(text), Files.readString(log));
    }

    private static Path script() {
        return Path.of(System.getProperty("basedir", "")).toAbsolutePath().resolve("packaging/scripts/spark-cluster.sh");
    }

    private static void environment(ProcessBuilder pb) {
        pb.environment().put("INKWELL_SPARK_CLASSPATH", String.join(":", classpathJars()));
        pb.environment().put("INKWELL_SPARK_APP", app.toString());
        pb.environment().put("INKWELL_CLUSTER_JAVA_OPTS", javaOptions);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    }

    /** Runs the script to its end and returns its output; a failure shows it. */
    private static String script(int timeoutSeconds, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", script().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        environment(pb);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(timeoutSeconds, TimeUnit.SECONDS), "spark-cluster.sh " + args[0] + " did not finish");
        String text = new String(out);
        assertEquals(0, p.exitValue(), "spark-cluster.sh " + String.join(" ", args) + ":\n" + text);
        return text;
    }

    private static Map<String, Long> pids() throws Exception {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : script(30, "pids", cluster.toString()).strip().split("\n")) {
            String[] f = line.strip().split(" ");
            if (f.length == 2) {
                m.merge(f[0], Long.parseLong(f[1]), (a, b) -> a); // role to pid; executors: see pidsOf
                seen.add(Long.parseLong(f[1]));
            }
        }
        return m;
    }

    /** The processes of one role ("executor"), numbered in the order the script lists them. */
    private static Map<String, Long> pidsOf(String role) throws Exception {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String line : script(30, "pids", cluster.toString()).strip().split("\n")) {
            String[] f = line.strip().split(" ");
            if (f.length == 2 && f[0].equals(role)) {
                m.put(role + "-" + m.size(), Long.parseLong(f[1]));
                seen.add(Long.parseLong(f[1]));
            }
        }
        return m;
    }

    /** The jars of this JVM's classpath (surefire may hand it over in a manifest-only jar). */
    private static List<String> classpathJars() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> jars = new ArrayList<>();
        for (String e : cp.split(java.io.File.pathSeparator)) {
            if (e.endsWith(".jar") && Files.isRegularFile(Path.of(e)) && !e.contains("surefire")) {
                jars.add(e);
            }
        }
        return jars;
    }

    /** The application jar spark-submit ships: Inkwell's classes and this test's (its closures run on executors). */
    private static Path appJar(Path jar) throws IOException {
        Path classes = Path.of(SparkTrainCommand.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path testClasses = Path.of(SparkClusterTest.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            Set<String> names = new HashSet<>();
            for (Path root : List.of(classes, testClasses)) {
                try (var files = Files.walk(root)) {
                    for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                        String name = root.relativize(f).toString().replace('\\', '/');
                        if (names.add(name)) {
                            out.putNextEntry(new JarEntry(name));
                            Files.copy(f, out);
                            out.closeEntry();
                        }
                    }
                }
            }
        }
        return jar;
    }
}
