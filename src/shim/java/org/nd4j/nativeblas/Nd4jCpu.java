package org.nd4j.nativeblas;

/**
 * Lives in a source folder of its own (src/shim/java, added by build-helper in the pom) because it is not
 * Inkwell's code: it fills a name in DL4J's package that the library still looks up.
 *
 * <p>Compatibility shim: DL4J 1.0.0-M2.1's {@code BaseMKLDNNHelper} looks up this class by name to decide whether
 * the oneDNN layer helpers may run, but M2.1 moved it to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu}. Without this class every helper stays off.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }
    }
}
