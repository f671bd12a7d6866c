package org.inkwell.onednn;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.matmul;
import org.bytedeco.dnnl.memory;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

/**
 * oneDNN's own matrix multiply on this machine, with the threads oneDNN uses: the yardstick {@code bench} measures the
 * network's efficiency against (a square product large enough to run at the kernel's peak, weights in the layout
 * oneDNN prefers, best of several runs); float32, or bfloat16 inputs with float32 results as the bfloat16 plans use.
 */
final class GemmPeak extends DnnlPlan {
    private final DnnlPlan.Program program = program();

    private GemmPeak(int side, boolean bf16) {
        super(1, side, side);
        if (bf16) {
            activations = memory.data_type.bf16;
        }
        buildOrClose(() -> {
            long s = side;
            memory.desc a = actDesc(new long[]{s, s}, memory.format_tag.ab);
            memory.desc bAny = actDesc(new long[]{s, s}, memory.format_tag.any);
            memory.desc c = desc(new long[]{s, s}, memory.format_tag.ab);
            matmul.primitive_desc pd = keep(new matmul.primitive_desc(keep(new matmul.desc(a, bAny, c)), eng));
            memory src = alloc(a);
            memory weights = alloc(pd.weights_desc());
            memory dst = alloc(c);
            add(program, new matmul(pd), new IntMemoryMap().put(DNNL_ARG_SRC, src).put(DNNL_ARG_WEIGHTS, weights)
                    .put(DNNL_ARG_DST, dst));
        });
    }

    /** GFLOP/s of the best of {@code runs} products of {@code side x side} matrices (after one warm-up run). */
    static double measure(int side, int runs, boolean bf16) {
        try (GemmPeak p = new GemmPeak(side, bf16)) {
            p.execute(p.program);
            long best = Long.MAX_VALUE;
            for (int i = 0; i < runs; i++) {
                long t = System.nanoTime();
                p.execute(p.program);
                best = Math.min(best, System.nanoTime() - t);
            }
            return 2.0 * side * side * side / best;
        }
    }
}
