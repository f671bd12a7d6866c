package org.inkwell.model;

import org.inkwell.data.Binarizer;
import org.inkwell.data.GrayImage;

/**
 * What cleans a user's image: a network with the input preparation it was trained with and, for the bundled
 * model, a specialist for images that are already black and white (the seed's case, pepper noise), which the
 * scan-trained network serves slightly less well. The choice is a classical step in front of the networks, made
 * per image: exactly binary pixels go to the specialist, everything else to the main network.
 */
public final class Cleaner implements AutoCloseable {
    private final Denoiser main;
    private final ModelInput input;
    private final Denoiser binary;

    public Cleaner(Denoiser main, ModelInput input, Denoiser binary) {
        this.main = main;
        this.input = input;
        this.binary = binary;
    }

    /** The model's own network; the bundled model also brings its binary specialist. */
    public static Cleaner of(ModelStore.StoredModel m) throws ModelLoadException {
        Denoiser specialist = null;
        if ("bundled".equals(m.source())) {
            ModelStore.StoredModel b = ModelStore.loadBundledBinary();
            specialist = b == null ? null : new Denoiser(b.net());
        }
        return new Cleaner(new Denoiser(m.net()), ModelInput.of(m.metadata()), specialist);
    }

    public ModelInput input() {
        return input;
    }

    /** The network that cleans this kind of image. */
    public Denoiser denoiserFor(boolean binaryImage) {
        return binaryImage && binary != null ? binary : main;
    }

    /** Ink probabilities of a grey scan or a binary image, same size. */
    public GrayImage reconstruct(GrayImage scan, Denoiser.TileProgress progress) {
        if (binary != null && Binarizer.isBinary(scan)) {
            return binary.reconstruct(scan, progress);
        }
        return main.reconstruct(scan, input.tilePrep(scan), progress);
    }

    public GrayImage reconstruct(GrayImage scan) {
        return reconstruct(scan, (done, total) -> { });
    }

    /** Tiles a scan of this size takes (for progress displays). */
    public int tilesFor(int w, int h) {
        return main.tilesFor(w, h);
    }

    /** Frees the inference plans of both networks (their native memory); call when this cleaner is replaced. */
    @Override
    public void close() {
        main.close();
        if (binary != null) {
            binary.close();
        }
    }
}
