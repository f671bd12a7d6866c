package org.inkwell.data;

import java.util.random.RandomGenerator;

/** Renders a clean signature as a device delivers it: the raw capture (grey, before flattening) and its truth. */
public interface ScanRenderer {
    TrainingPair render(GrayImage clean, RandomGenerator rng);

    /** The noise spec that names this renderer and its levels, e.g. {@code device:0.1-0.5:only=camera}. */
    String spec();

    /** The lowest difficulty level it draws from. */
    double levelLo();
}
