package org.inkwell.cli;

import java.util.Locale;

/**
 * Bounds on the CLI's numeric arguments, checked before any work: a count or size that cannot be afforded is one
 * line naming the option and its range, never an overflow, an index error or an out-of-memory trace.
 */
final class Limits {
    /** Image sides commands resize to (as training: larger scans are cleaned in tiles). */
    static final int MIN_SIZE = org.inkwell.model.TrainingConfig.MIN_SIZE;
    static final int MAX_SIZE = org.inkwell.model.TrainingConfig.MAX_SIZE;
    /** Signatures a contact sheet holds: 4 per 150-pixel row, so the sheet stays within the longest side Inkwell reads. */
    static final int MAX_GRID = 4 * (org.inkwell.data.ImageFiles.MAX_SIDE / 150);

    private Limits() {
    }

    /** {@code value} when it lies in [{@code min}, {@code max}]; otherwise one line that says the range. */
    static int range(String option, long value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s must be between %,d and %,d, got %,d",
                    option, min, max, value));
        }
        return (int) value;
    }

    /** A side for {@code option}: 32 to 2048 pixels. */
    static int size(String option, int value) {
        return range(option, value, MIN_SIZE, MAX_SIZE);
    }

    /** A count of generated signatures: 1 to {@link org.inkwell.data.DataSources#MAX_SYNTHETIC}. */
    static int synthetic(String option, int value) {
        int max = org.inkwell.data.DataSources.MAX_SYNTHETIC;
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%s must be between 1 and %,d, got %,d (raise -Dinkwell.maxSynthetic for more)", option, max, value));
        }
        return value;
    }

    /**
     * Refuses to hold {@code count} items of {@code bytesEach} in Java memory when they would need more than half
     * of it: {@code what} says what they are, {@code advice} what to change.
     */
    static void inMemory(String what, long count, long bytesEach, String advice) {
        long heap = Runtime.getRuntime().maxMemory();
        long budget = heap / 2;
        long needed = count * bytesEach;
        if (needed > budget) {
            long fits = Math.max(0, budget / Math.max(1, bytesEach));
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "%,d %s need about %.1f GB of Java memory, more than half of the %.1f GB available (%,d fit): "
                            + "%s, or give Java more memory (-Xmx)", count, what, needed / 1e9, heap / 1e9, fits, advice));
        }
    }
}
