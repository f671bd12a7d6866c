package org.inkwell.onednn;

import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.stream;
import org.bytedeco.javacpp.FloatPointer;

import java.util.ArrayList;
import java.util.List;

/**
 * What the oneDNN plans share: one CPU engine and stream, programs of primitives with their arguments, and the
 * native objects they refer to, freed together on {@link #close}. Not thread-safe: a plan stays on the thread that
 * owns its network.
 */
public abstract class DnnlPlan implements AutoCloseable {
    protected final engine eng;
    /** The batch and the input's sides the plan is made for. */
    protected final int n;
    protected final int h;
    protected final int w;
    protected final stream strm;
    /** Native objects the primitives refer to: kept reachable for the plan's lifetime. */
    private final List<Object> natives = new ArrayList<>();
    /** The data type of the activations between layers: float32, or bfloat16 for an inference plan that asks. */
    protected memory.data_type activations = memory.data_type.f32;
    /** Bytes of the buffers this plan allocated (memories and float arrays); what it frees on close. */
    private long bytes;

    protected DnnlPlan(int n, int h, int w) {
        this.eng = keep(new engine(engine.kind.cpu, 0));
        this.strm = keep(new stream(eng));
        this.n = n;
        this.h = h;
        this.w = w;
    }

    /** Runs the subclass's {@code build}; a plan that cannot be made frees what it made so far. */
    protected final void buildOrClose(Runnable build) {
        try {
            build.run();
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** A list of primitives run in order on the plan's stream. */
    protected static final class Program {
        private final List<primitive> steps = new ArrayList<>();
        private final List<IntMemoryMap> args = new ArrayList<>();

        public int size() {
            return steps.size();
        }
    }

    protected final Program program() {
        return new Program();
    }

    protected final void add(Program program, primitive p, IntMemoryMap args) {
        program.steps.add(keep(p));
        program.args.add(keep(args));
    }

    /** Runs {@code program} and waits for it. */
    protected final void execute(Program program) {
        for (int i = 0; i < program.steps.size(); i++) {
            program.steps.get(i).execute(strm, program.args.get(i));
        }
        strm._wait();
    }

    /** One primitive's time in a profiled run. */
    public record StepTime(String primitive, double ms) {
    }

    /** Runs {@code program} one primitive at a time, waiting after each, and returns each one's kind and time. */
    protected final List<StepTime> profile(Program program) {
        List<StepTime> times = new ArrayList<>();
        for (int i = 0; i < program.steps.size(); i++) {
            long t = System.nanoTime();
            program.steps.get(i).execute(strm, program.args.get(i));
            strm._wait();
            times.add(new StepTime(program.steps.get(i).getClass().getSimpleName(), (System.nanoTime() - t) / 1e6));
        }
        return times;
    }

    /**
     * Appends to {@code program} the channel concatenation of {@code parts} (n x c_i x ph x pw each), in the order
     * DL4J's MergeVertex uses; returns its output.
     */
    protected final memory concatChannels(Program program, List<memory> parts, long channels, long ph, long pw) {
        // A std::vector<memory::desc> is, through JavaCPP, an array of descs filled element by element.
        memory.desc descs = keep(new memory.desc(parts.size()));
        for (int i = 0; i < parts.size(); i++) {
            descs.getPointer(i).data(keep(parts.get(i).get_desc()).data());
        }
        org.bytedeco.dnnl.concat.primitive_desc pd = keep(new org.bytedeco.dnnl.concat.primitive_desc(
                actDesc(new long[]{n, channels, ph, pw}, memory.format_tag.any), 1, descs, eng));
        memory dst = alloc(pd.dst_desc());
        IntMemoryMap args = new IntMemoryMap().put(org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST, dst);
        for (int i = 0; i < parts.size(); i++) {
            args.put(org.bytedeco.dnnl.global.dnnl.DNNL_ARG_MULTIPLE_SRC + i, parts.get(i));
        }
        add(program, new org.bytedeco.dnnl.concat(pd), args);
        return dst;
    }

    /** A 2x2 max pooling of {@code src} appended to {@code program}, with its workspace when training. */
    protected record Pooled(Act dst, org.bytedeco.dnnl.pooling_forward.primitive_desc pd, memory workspace) {
    }

    protected final Pooled maxPool(Program program, Act src, int propKind) {
        if (src.h() % 2 != 0 || src.w() % 2 != 0) {
            throw new IllegalArgumentException("a " + h + " x " + w + " input cannot be halved exactly at every pooling");
        }
        org.bytedeco.dnnl.pooling_forward.desc d = keep(new org.bytedeco.dnnl.pooling_forward.desc(propKind,
                org.bytedeco.dnnl.global.dnnl.dnnl_pooling_max, keep(src.mem().get_desc()),
                actDesc(new long[]{n, src.c(), src.h() / 2, src.w() / 2}, memory.format_tag.any),
                new long[]{2, 2}, new long[]{2, 2}, new long[]{0, 0}, new long[]{0, 0}));
        org.bytedeco.dnnl.pooling_forward.primitive_desc pd = keep(new org.bytedeco.dnnl.pooling_forward.primitive_desc(d, eng));
        memory dst = alloc(pd.dst_desc());
        IntMemoryMap args = new IntMemoryMap().put(org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC, src.mem())
                .put(org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST, dst);
        memory workspace = null;
        if (propKind == org.bytedeco.dnnl.global.dnnl.dnnl_forward_training) {
            workspace = alloc(pd.workspace_desc());
            args.put(org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE, workspace);
        }
        add(program, new org.bytedeco.dnnl.pooling_forward(pd), args);
        return new Pooled(new Act(dst, src.c(), src.h() / 2, src.w() / 2), pd, workspace);
    }

    /** A 2x nearest-neighbour upsampling of {@code src} appended to {@code program}. */
    protected record Upsampled(Act dst, org.bytedeco.dnnl.resampling_forward.primitive_desc pd) {
    }

    protected final Upsampled upsample(Program program, Act src, int propKind) {
        org.bytedeco.dnnl.resampling_forward.desc d = keep(new org.bytedeco.dnnl.resampling_forward.desc(propKind,
                org.bytedeco.dnnl.global.dnnl.dnnl_resampling_nearest, keep(src.mem().get_desc()),
                actDesc(new long[]{n, src.c(), src.h() * 2, src.w() * 2}, memory.format_tag.any)));
        org.bytedeco.dnnl.resampling_forward.primitive_desc pd = keep(new org.bytedeco.dnnl.resampling_forward.primitive_desc(d, eng));
        memory dst = alloc(pd.dst_desc());
        add(program, new org.bytedeco.dnnl.resampling_forward(pd), new IntMemoryMap()
                .put(org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC, src.mem()).put(org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST, dst));
        return new Upsampled(new Act(dst, src.c(), src.h() * 2, src.w() * 2), pd);
    }

    /** Channel concatenation (U-Net skips) of {@code parts}, in the order DL4J's MergeVertex uses. */
    protected final Act concat(Program program, List<Act> parts) {
        long channels = parts.stream().mapToLong(Act::c).sum();
        Act first = parts.get(0);
        memory dst = concatChannels(program, parts.stream().map(Act::mem).toList(), channels, first.h(), first.w());
        return new Act(dst, channels, first.h(), first.w());
    }

    /**
     * A 3x3, stride 1, Same convolution of {@code src} to {@code outC} channels with {@code postOps} fused, its weights
     * and output in the layouts oneDNN prefers.
     */
    protected final org.bytedeco.dnnl.convolution_forward.primitive_desc conv3x3(Act src, long outC, int propKind,
                                                                                org.bytedeco.dnnl.post_ops postOps) {
        return conv3x3(src, outC, propKind, postOps, activations);
    }

    /** As above, with the output in {@code dstType} (the weights take the activations' type). */
    protected final org.bytedeco.dnnl.convolution_forward.primitive_desc conv3x3(Act src, long outC, int propKind,
                                                                                org.bytedeco.dnnl.post_ops postOps,
                                                                                memory.data_type dstType) {
        org.bytedeco.dnnl.convolution_forward.desc d = keep(new org.bytedeco.dnnl.convolution_forward.desc(propKind,
                org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct, keep(src.mem().get_desc()),
                actDesc(new long[]{outC, src.c(), 3, 3}, memory.format_tag.any), desc(new long[]{outC}, memory.format_tag.x),
                keep(new memory.desc(new long[]{n, outC, src.h(), src.w()}, dstType, memory.format_tag.any)),
                new long[]{1, 1}, new long[]{1, 1}, new long[]{1, 1}));
        org.bytedeco.dnnl.primitive_attr attr = keep(new org.bytedeco.dnnl.primitive_attr());
        attr.set_post_ops(postOps);
        return keep(new org.bytedeco.dnnl.convolution_forward.primitive_desc(d, attr, eng));
    }

    private static volatile String bf16Kernel;

    /**
     * The kernel oneDNN picks for a small bfloat16 convolution on this CPU ("none" where it has none: no AVX-512),
     * found once.
     */
    public static String bf16Kernel() {
        String known = bf16Kernel;
        if (known == null) {
            try (engine e = new engine(engine.kind.cpu, 0);
                 memory.desc src = new memory.desc(new long[]{1, 16, 8, 8}, memory.data_type.bf16, memory.format_tag.any);
                 memory.desc weights = new memory.desc(new long[]{16, 16, 3, 3}, memory.data_type.bf16, memory.format_tag.any);
                 memory.desc dst = new memory.desc(new long[]{1, 16, 8, 8}, memory.data_type.bf16, memory.format_tag.any);
                 org.bytedeco.dnnl.convolution_forward.desc d = new org.bytedeco.dnnl.convolution_forward.desc(
                         org.bytedeco.dnnl.global.dnnl.dnnl_forward_inference, org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct,
                         src, weights, dst, new long[]{1, 1}, new long[]{1, 1}, new long[]{1, 1});
                 org.bytedeco.dnnl.convolution_forward.primitive_desc pd = new org.bytedeco.dnnl.convolution_forward.primitive_desc(d, e)) {
                known = pd.impl_info_str().getString();
            } catch (RuntimeException e) {
                known = "none";
            }
            bf16Kernel = known;
        }
        return known;
    }

    /**
     * Whether a oneDNN kernel name is a hardware bfloat16 one (AVX-512 BF16 or AMX); oneDNN's emulation on plain
     * AVX-512 ("jit_bf16:avx512_core") is slower than float32 and does not count.
     */
    static boolean nativeKernel(String impl) {
        return impl.contains("avx512_core_bf16") || impl.contains("amx");
    }

    /** Whether this CPU runs oneDNN's bfloat16 convolutions in hardware (see {@link #nativeKernel}). */
    public static boolean nativeBf16() {
        return nativeKernel(bf16Kernel());
    }

    protected final memory.desc desc(long[] dims, memory.format_tag tag) {
        return keep(new memory.desc(dims, memory.data_type.f32, tag));
    }

    /** A descriptor in the activations' data type. */
    protected final memory.desc actDesc(long[] dims, memory.format_tag tag) {
        return keep(new memory.desc(dims, activations, tag));
    }

    /** A new memory of {@code d} whose buffer the plan owns. */
    protected final memory alloc(memory.desc d) {
        bytes += d.get_size();
        return keep(new memory(d, eng));
    }

    /** The native buffers this plan holds, in bytes (primitives' own scratch space not counted). */
    public final long nativeBytes() {
        return bytes;
    }

    /** A memory of {@code d} over {@code values}, which Java reads and writes. */
    protected final memory over(memory.desc d, FloatPointer values) {
        return keep(new memory(d, eng, values));
    }

    protected final memory constant(long[] dims, memory.format_tag tag, float[] values) {
        return over(desc(dims, tag), keep(new FloatPointer(values)));
    }

    protected final <T> T keep(T nativeObject) {
        if (nativeObject instanceof FloatPointer f) {
            bytes += f.capacity() * Float.BYTES;
        }
        natives.add(nativeObject);
        return nativeObject;
    }

    @Override
    public void close() {
        for (int i = natives.size() - 1; i >= 0; i--) {
            if (natives.get(i) instanceof org.bytedeco.javacpp.Pointer p) {
                p.close();
            }
        }
        natives.clear();
        bytes = 0;
    }
}
