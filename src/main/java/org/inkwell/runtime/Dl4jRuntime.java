package org.inkwell.runtime;

import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Configures ND4J/DL4J once per process, before the first array is made. */
public final class Dl4jRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(Dl4jRuntime.class);
    private static volatile boolean initialized;

    private Dl4jRuntime() {
    }

    /** Must run before any DL4J class loads: M2.1 keeps its oneDNN layer helpers off unless told otherwise. */
    public static synchronized void init() {
        if (initialized) {
            return;
        }
        // Before ND4J allocates anything: later allocations then stay in the process between steps.
        NativeAllocator.tune();
        // The oneDNN plans: the one line that names them (without the package, DL4J runs every network).
        org.inkwell.engine.Engines.register(new org.inkwell.onednn.OneDnnEngines());
        setIfAbsent("org.eclipse.deeplearning4j.helpers.disable", "false");
        // The CPU natives with oneDNN live under linux-x86_64-onednn inside nd4j-native; a cuda build's (mvn -Pcuda)
        // under linux-x86_64-cudnn inside nd4j-cuda.
        setIfAbsent("org.bytedeco.javacpp.platform.extension", cudaBuild() ? "-cudnn" : "-onednn");
        // Natives load in place from the app's natives folder, or unpack into the data folder (never ~/.javacpp).
        NativeLibraries.configure();
        long physical = physicalMemoryBytes();
        if (physical > 0) {
            // Off-heap is not capped by -Xmx; keep ND4J well inside the machine's memory.
            setIfAbsent("org.bytedeco.javacpp.maxbytes", String.valueOf(physical / 2));
            setIfAbsent("org.bytedeco.javacpp.maxphysicalbytes", String.valueOf(physical * 3 / 4));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        Nd4j.getEnvironment().setMaxThreads(cores);
        Nd4j.getEnvironment().setMaxMasterThreads(cores);
        Nd4j.setDefaultDataTypes(org.nd4j.linalg.api.buffer.DataType.FLOAT, org.nd4j.linalg.api.buffer.DataType.FLOAT);
        initialized = true;
        LOG.debug("ND4J ready: {} threads, oneDNN {}, allocator {}", cores, oneDnnActive(), NativeAllocator.state());
    }

    /**
     * The backend ND4J loaded and what it runs on: "CPU (16 threads, oneDNN on)" or "CUDA on NVIDIA A100 (80 GB)".
     * With both backends on the classpath ND4J takes CUDA when a driver and a supported GPU are present.
     */
    public static String backend() {
        init();
        String known = backend;
        if (known != null) {
            return known;
        }
        backend = describeBackend();
        return backend;
    }

    private static volatile String backend;

    private static String describeBackend() {
        java.util.Properties p = Nd4j.getExecutioner().getEnvironmentInformation();
        String name = String.valueOf(p.getOrDefault("backend", Nd4j.getBackend().getClass().getSimpleName()));
        if (p.get("cuda.devicesInformation") instanceof java.util.List<?> devices && !devices.isEmpty()) {
            StringBuilder sb = new StringBuilder(name).append(" on ");
            for (int i = 0; i < devices.size(); i++) {
                if (devices.get(i) instanceof java.util.Map<?, ?> d) {
                    Object total = d.get("cuda.totalMemory");
                    sb.append(i > 0 ? ", " : "").append(d.get("cuda.deviceName"));
                    if (total instanceof Number n) {
                        sb.append(String.format(java.util.Locale.ROOT, " (%.0f GB)", n.doubleValue() / (1L << 30)));
                    }
                }
            }
            return sb.toString();
        }
        return String.format(java.util.Locale.ROOT, "%s (%d threads, oneDNN %s)", name,
                Nd4j.getEnvironment().maxThreads(), oneDnnActive() ? "on" : "off");
    }

    private static boolean cudaBuild() {
        try {
            Class.forName("org.nd4j.linalg.jcublas.JCublasBackend", false, Dl4jRuntime.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** True when DL4J's layer helpers will use oneDNN (the fast path for conv, BN, pooling). */
    public static boolean oneDnnActive() {
        init();
        return org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()
                && !Boolean.parseBoolean(System.getProperty("org.eclipse.deeplearning4j.helpers.disable", "true"));
    }

    /** Native memory ND4J has reserved for workspaces (layer activations and gradients reused between steps). */
    public static long workspaceBytes() {
        init();
        return Nd4j.getMemoryManager().allocatedMemory(0);
    }

    /**
     * Native buffers ND4J still has to free: arrays outside workspaces are allocated in C++ and counted nowhere
     * else, so their number is the leak signal. Read from the deallocator's private map; -1 if that changes.
     */
    public static int liveNativeBuffers() {
        init();
        try {
            var field = org.nd4j.linalg.api.memory.deallocation.DeallocatorService.class.getDeclaredField("referenceMap");
            field.setAccessible(true);
            return ((java.util.Map<?, ?>) field.get(Nd4j.getDeallocatorService())).size();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1;
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static long physicalMemoryBytes() {
        try {
            java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
                return sun.getTotalMemorySize();
            }
        } catch (RuntimeException | LinkageError ignored) {
            // Unknown platform MXBean: leave JavaCPP's defaults.
        }
        return -1;
    }
}
