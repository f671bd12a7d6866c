package org.inkwell.data;

import javax.imageio.IIOException;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageInputStreamImpl;
import java.io.IOException;

/**
 * An image file as the ImageIO readers see it, with two budgets the readers themselves lack. A reader that keeps
 * reading past the end of the data is stopped: TwelveMonkeys' WebP decoder treats the end of a 41-byte file as
 * endless zero bits and fills a declared 2000x2000 image one EOFException per bit (two minutes; hours at 16384x16384).
 * And the decoding as a whole has a deadline, checked on every read, since {@code ImageReader.abort()} is not
 * honoured inside that decoder's pixel loop. Either budget, once spent, makes every further read fail with an
 * {@link IIOException} (not an EOFException, which such decoders swallow); {@link #tripped()} says which.
 */
final class GuardedImageInput extends ImageInputStreamImpl {
    /** Reads at or past the end of the file a decoder may make: legitimate ones make a handful. */
    static final int MAX_READS_PAST_END = 4096;

    private final ImageInputStream in;
    private final long deadline;
    private final long seconds;
    private int readsPastEnd;
    private int calls;
    private volatile String tripped;

    /** Reads {@code in}; decoding must end within {@code seconds}. */
    GuardedImageInput(ImageInputStream in, long seconds) {
        this.in = in;
        this.seconds = seconds;
        this.deadline = System.nanoTime() + seconds * 1_000_000_000L;
    }

    /** Why reading was stopped, or null. */
    String tripped() {
        return tripped;
    }

    private void check() throws IIOException {
        if (tripped == null && (++calls & 255) == 0 && System.nanoTime() - deadline > 0) {
            tripped = "decoding took longer than " + seconds + " s, the limit for one image (a damaged or hostile "
                    + "file? raise -Dinkwell.decodeSeconds if it is really this slow)";
        }
        if (tripped != null) {
            throw new IIOException(tripped);
        }
    }

    private int pastEnd() throws IIOException {
        if (++readsPastEnd > MAX_READS_PAST_END) {
            tripped = "the image data ends long before the pixels its header declares (truncated or forged)";
            throw new IIOException(tripped);
        }
        return -1;
    }

    @Override
    public int read() throws IOException {
        check();
        bitOffset = 0;
        int b = in.read();
        if (b < 0) {
            return pastEnd();
        }
        streamPos++;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        check();
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        int n = in.read(b, off, len);
        if (n < 0) {
            return pastEnd();
        }
        streamPos += n;
        return n;
    }

    @Override
    public void seek(long pos) throws IOException {
        check();
        super.seek(pos);
        in.seek(pos);
    }

    @Override
    public long length() {
        try {
            return in.length();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        super.close();
        in.close();
    }
}
