package org.inkwell.cli;

import org.inkwell.data.ImageFiles;
import org.inkwell.data.PdfPlacement;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "place", mixinStandardHelpOptions = true,
        description = {"Places a cleaned signature on a page of a PDF and writes a new PDF (the original is only read).",
                "A visible signature, not a digital one: nothing certifies who placed it."})
final class PlaceCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN.pdf", description = "The document.")
    Path in;

    @Option(names = "--signature", required = true, paramLabel = "SIG.png",
            description = {"The signature image (a transparent PNG from denoise --transparent --crop, or the library);",
                    "an opaque one goes on without its white paper."})
    Path signature;

    @Option(names = "--page", defaultValue = "1", description = "Page, counted from 1 (default ${DEFAULT-VALUE}).")
    int page;

    @Option(names = "--at", required = true, paramLabel = "X,Y",
            description = "Where the signature's top-left corner goes, in mm from the page's top-left corner.")
    String at;

    @Option(names = "--width-mm", defaultValue = "50", description = "The signature's width on the page in mm (default ${DEFAULT-VALUE}).")
    double widthMm;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT.pdf", description = "The new PDF.")
    Path out;

    @Mixin
    OutputOptions outputs;

    @Override
    public Integer call() throws Exception {
        String[] xy = at.split(",");
        if (xy.length != 2) {
            throw new IllegalArgumentException("--at takes X,Y in mm, e.g. 120,230; got '" + at + "'");
        }
        double x;
        double y;
        try {
            x = Double.parseDouble(xy[0].trim());
            y = Double.parseDouble(xy[1].trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--at takes X,Y in mm, e.g. 120,230; got '" + at + "'");
        }
        PdfPlacement.Place place = new PdfPlacement.Place(page, x, y, widthMm);
        BufferedImage sig = ImageFiles.readUpright(signature);
        Path written = PdfPlacement.place(in, sig, place, out, outputs.policy().protect(signature));
        System.out.printf(java.util.Locale.ROOT, "placed %s on page %d of %s at %.1f,%.1f mm, %.1f mm wide -> %s%n",
                signature.getFileName(), page, in.getFileName(), x, y, widthMm, written);
        return 0;
    }
}
