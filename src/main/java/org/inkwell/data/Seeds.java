package org.inkwell.data;

/** Derives independent, reproducible seeds from (seed, index, purpose) so every sample is a pure function of them. */
public final class Seeds {
    private Seeds() {
    }

    /** SplitMix64 finaliser over a combination of the three values. */
    public static long mix(long a, long b, long salt) {
        long z = a * 0x9E3779B97F4A7C15L + b * 0xC2B2AE3D27D4EB4FL + salt;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
