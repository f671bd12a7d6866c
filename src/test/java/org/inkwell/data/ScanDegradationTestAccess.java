package org.inkwell.data;

/** The test WebP for tests in other packages. */
public final class ScanDegradationTestAccess {
    public static final String WEBP = ScanDegradationTest.WEBP;

    private ScanDegradationTestAccess() {
    }
}
