package org.inkwell.onednn;

import org.bytedeco.dnnl.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * Buffers of a plan whose last reader in the pass has been laid out, for the steps laid out after it (the next
 * forward pass writes every activation before reading it): keeps a training pass near the size of its forward
 * activations. Every buffer belongs to the plan.
 */
final class BufferPool {
    private final DnnlPlan plan;
    private final List<memory> free = new ArrayList<>();

    BufferPool(DnnlPlan plan) {
        this.plan = plan;
    }

    /** {@code m} is not read after the step being laid out: later steps may use its buffer. */
    void release(memory m) {
        free.add(m);
    }

    /** A memory of {@code d} over the smallest free buffer that holds it, or a new one. */
    memory scratch(memory.desc d) {
        long size = d.get_size();
        long elements = 1;
        for (long dim : dims(d)) {
            elements *= dim;
        }
        if (size != elements * Float.BYTES) {
            // A blocked layout with padded channels relies on zeros in the padding: only fresh memory has them.
            return plan.alloc(d);
        }
        memory best = null;
        long bestSize = Long.MAX_VALUE;
        for (memory m : free) {
            long s = plan.keep(m.get_desc()).get_size();
            if (s >= size && s < bestSize) {
                best = m;
                bestSize = s;
            }
        }
        if (best == null) {
            return plan.alloc(d);
        }
        free.remove(best);
        return plan.keep(new memory(d, plan.eng, best.get_data_handle()));
    }

    private static long[] dims(memory.desc d) {
        org.bytedeco.dnnl.dnnl_memory_desc_t c = d.data();
        long[] dims = new long[c.ndims()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = c.dims().get(i);
        }
        return dims;
    }
}
