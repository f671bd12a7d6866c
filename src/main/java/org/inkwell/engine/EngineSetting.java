package org.inkwell.engine;

import java.util.Locale;

/**
 * The one setting that chooses engines: {@code auto} (the fastest one that can run the network), {@code dl4j} or
 * {@code onednn}. It reaches Inkwell as the CLI's {@code --engine}, the workbench's Preferences, or the system
 * property {@code inkwell.engine}; {@code inkwell.inference} and {@code inkwell.training} override it for one
 * direction. Each network instance reads it when its engine is made ({@link Engines}).
 */
public enum EngineSetting {
    AUTO, DL4J, ONEDNN;

    /** The system property every front end sets. */
    public static final String PROPERTY = "inkwell.engine";

    /** {@code auto}, {@code dl4j} or {@code onednn} (case ignored); anything else is refused in one line. */
    public static EngineSetting parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "auto", "" -> AUTO;
            case "dl4j" -> DL4J;
            case "onednn", "plan", "plans" -> ONEDNN;
            default -> throw new IllegalArgumentException("engine '" + text + "' is not one of auto, dl4j, onednn");
        };
    }

    /** The setting for forward passes now: {@code inkwell.inference}, else {@code inkwell.engine}, else auto. */
    public static EngineSetting forInference() {
        return fromProperties("inkwell.inference");
    }

    /** The setting for gradients now: {@code inkwell.training}, else {@code inkwell.engine}, else auto. */
    public static EngineSetting forTraining() {
        return fromProperties("inkwell.training");
    }

    private static EngineSetting fromProperties(String direction) {
        String v = System.getProperty(direction);
        return parse(v != null ? v : System.getProperty(PROPERTY, "auto"));
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
