package org.inkwell.engine;

/** What runs a network's forward pass or computes its gradients. */
public enum Engine {
    /** Deeplearning4j's own layers (any network, any ND4J backend). */
    DL4J("DL4J"),
    /** Inkwell's fixed oneDNN plans (the layers its architectures use, on the CPU). */
    ONEDNN("oneDNN plan");

    private final String label;

    Engine(String label) {
        this.label = label;
    }

    /** How the CLI, the logs and the workbench name it. */
    public String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
