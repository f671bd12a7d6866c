package org.inkwell.model;

import org.inkwell.data.BackgroundFlattening;
import org.inkwell.data.Binarizer;
import org.inkwell.data.GrayImage;

/**
 * What a network reads. The seed's networks (and Inkwell's first bundled model) read a binarized image; a model
 * trained on scans ({@code scan}, {@code scanmix}, {@code device}, {@code devicemix} or {@code peppermix} noise) reads the grey scan itself after background
 * flattening, exactly as it was trained. Every path that cleans a user's image goes through {@link #prepare}.
 */
public enum ModelInput {
    BINARY, GREY;

    /** From the noise the model was trained on; a model without metadata is taken to read binary images. */
    public static ModelInput of(ModelMetadata m) {
        if (m == null || m.noise() == null) {
            return BINARY;
        }
        String n = m.noise();
        return n.startsWith("scan") || n.startsWith("device") || n.startsWith("peppermix") ? GREY : BINARY;
    }

    /**
     * The same preparation, done tile by tile for a large scan so it is never copied whole: flattening looks
     * {@link BackgroundFlattening#RADIUS} twice around each pixel, so tiles are prepared with that much context;
     * Otsu's threshold is computed once on the whole scan.
     */
    public Denoiser.TilePrep tilePrep(GrayImage whole) {
        if (this == GREY) {
            return new Denoiser.TilePrep(2 * BackgroundFlattening.RADIUS + 1, BackgroundFlattening::apply);
        }
        if (Binarizer.isBinary(whole)) {
            return new Denoiser.TilePrep(0, t -> t);
        }
        int t = Binarizer.otsuThreshold(whole);
        return new Denoiser.TilePrep(0, tile -> Binarizer.binarize(tile, t));
    }

    /** The network's input for a grey scan (ink dark, paper light, values in [0, 1]). */
    public GrayImage prepare(GrayImage grey) {
        return this == GREY ? BackgroundFlattening.apply(grey) : Binarizer.binarize(grey);
    }
}
