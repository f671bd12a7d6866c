package org.inkwell.engine;

import java.util.Locale;

/**
 * The number format of the oneDNN inference plans' activations and weights: {@code auto} (bfloat16 where the CPU
 * computes it in hardware, float32 elsewhere), {@code float32}, or {@code bfloat16} (also where it is only
 * emulated). Training and the DL4J engine are always float32. It reaches Inkwell as the CLI's {@code --precision},
 * the workbench's Preferences, or the system property {@code inkwell.precision}; each plan reads it when it is made.
 * docs/performance.md has what bfloat16 gains and docs/quality.md that the quality tables do not move.
 */
public enum Precision {
    AUTO, FLOAT32, BFLOAT16;

    public static final String PROPERTY = "inkwell.precision";

    /** {@code auto}, {@code float32} ({@code f32}) or {@code bfloat16} ({@code bf16}), case ignored; else one line. */
    public static Precision parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "auto", "" -> AUTO;
            case "float32", "f32", "fp32" -> FLOAT32;
            case "bfloat16", "bf16" -> BFLOAT16;
            default -> throw new IllegalArgumentException("precision '" + text + "' is not one of auto, float32, bfloat16");
        };
    }

    private static volatile String warnedAbout;

    /** The setting now: the system property, else auto; a value that is not a precision reads as auto, said once. */
    public static Precision current() {
        String value = System.getProperty(PROPERTY, "auto");
        try {
            return parse(value);
        } catch (IllegalArgumentException e) {
            if (!value.equals(warnedAbout)) {
                warnedAbout = value;
                org.slf4j.LoggerFactory.getLogger(Precision.class).warn("{}; using auto", e.getMessage());
            }
            return AUTO;
        }
    }

    /** Whether a plan made now uses bfloat16, given whether the CPU has it in hardware. */
    public boolean bf16(boolean nativeBf16) {
        return this == BFLOAT16 || (this == AUTO && nativeBf16);
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
