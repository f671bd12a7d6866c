package org.inkwell.runtime;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeAllocatorTest {
    @Test
    void tunesGlibcUnlessTheUserOrThePlatformSaysOtherwise() {
        assertNull(NativeAllocator.reasonNotToTune("Linux", Map.of("HOME", "/root"), null));
        assertTrue(NativeAllocator.reasonNotToTune("Linux", Map.of("MALLOC_TRIM_THRESHOLD_", "0"), null).contains("MALLOC_TRIM_THRESHOLD_"));
        assertTrue(NativeAllocator.reasonNotToTune("Linux", Map.of("GLIBC_TUNABLES", "glibc.malloc.arena_max=1"), null).contains("GLIBC_TUNABLES"));
        assertTrue(NativeAllocator.reasonNotToTune("Linux", Map.of(), "false").contains(NativeAllocator.PROPERTY));
        assertTrue(NativeAllocator.reasonNotToTune("Windows 11", Map.of(), null).contains("not applicable"));
    }

    @Test
    void isActiveAfterTheRuntimeStartsOnLinux() {
        Dl4jRuntime.init();
        String expectedReason = NativeAllocator.reasonNotToTune(System.getProperty("os.name"), System.getenv(),
                System.getProperty(NativeAllocator.PROPERTY));
        if (expectedReason == null) {
            // On glibc (CI and the installers' Linux target) mallopt must have accepted both thresholds.
            assertEquals("tuned", NativeAllocator.state());
            NativeAllocator.releaseFreeMemory();
        } else {
            assertEquals(expectedReason, NativeAllocator.state());
        }
    }
}
