package org.inkwell.onednn;

import org.bytedeco.dnnl.memory;

/** An activation in a plan: its memory (in the layout oneDNN chose) and its shape, channels by height by width. */
record Act(memory mem, long c, long h, long w) {
}
