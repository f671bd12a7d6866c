package org.inkwell.ui.dataset;

import org.inkwell.data.GrayImage;
import org.inkwell.data.ImageLoadException;
import org.inkwell.data.Preprocess;
import org.inkwell.data.SignatureSource;
import org.inkwell.ui.task.TaskExecutor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/** Small previews of a data set's images, made newest request first on a thread of their own and cached. */
public final class Thumbnails {
    public static final int WIDTH = 168;
    public static final int HEIGHT = 84;
    private static final int CACHED = 3000;

    private final TaskExecutor executor;
    private final Executor loader;
    private final Map<Integer, GrayImage> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, GrayImage> e) {
            return size() > CACHED;
        }
    };
    private volatile SignatureSource source;

    Thumbnails(TaskExecutor executor) {
        this.executor = executor;
        this.loader = executor.newestFirstThread("inkwell-thumbnails");
    }

    /** Forgets the previous data set's thumbnails; its pending requests are dropped. */
    void show(SignatureSource s) {
        synchronized (cache) {
            cache.clear();
            source = s;
        }
    }

    /** Calls {@code onReady} on the UI thread with the thumbnail of image {@code index}, or null if it is unreadable. */
    void request(int index, Consumer<GrayImage> onReady) {
        SignatureSource s = source;
        GrayImage cached;
        synchronized (cache) {
            cached = cache.get(index);
        }
        if (cached != null) {
            onReady.accept(cached);
            return;
        }
        loader.execute(() -> {
            if (source != s) {
                return;
            }
            GrayImage thumb;
            try {
                thumb = Preprocess.fitPadded(shrink(s.load(index)), WIDTH, HEIGHT);
            } catch (ImageLoadException | RuntimeException e) {
                thumb = null;
            }
            GrayImage result = thumb;
            synchronized (cache) {
                if (source != s) {
                    return;
                }
                if (thumb != null) {
                    cache.put(index, thumb);
                }
            }
            executor.runOnUi(() -> {
                if (source == s) {
                    onReady.accept(result);
                }
            });
        });
    }

    /** Area-averaged reduction keeps thin strokes visible in a thumbnail, where nearest sampling would drop them. */
    static GrayImage shrink(GrayImage g) {
        int f = Math.max(1, (int) Math.floor(Math.min(g.width() / (double) WIDTH, g.height() / (double) HEIGHT)));
        if (f == 1) {
            return g;
        }
        int w = g.width() / f;
        int h = g.height() / f;
        float[] out = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float sum = 0;
                for (int dy = 0; dy < f; dy++) {
                    for (int dx = 0; dx < f; dx++) {
                        sum += g.get(x * f + dx, y * f + dy);
                    }
                }
                out[y * w + x] = sum / (f * f);
            }
        }
        return new GrayImage(w, h, out);
    }
}
