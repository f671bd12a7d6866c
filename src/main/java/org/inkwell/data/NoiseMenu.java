package org.inkwell.data;

import java.util.EnumSet;
import java.util.List;

/**
 * The noise a slider adds in the Samples and Compare panes, by the name the menu shows: the seed's impulse noise at
 * the slider's density, or a scan or one family of device degradations at twice the slider (the slider goes to 0.5).
 */
public final class NoiseMenu {
    /** The device families as the menus name them, in menu order. */
    public static final List<String> FAMILIES = List.of("pen", "paper", "photocopier", "camera", "pepper on a grey scan");

    private NoiseMenu() {
    }

    public static NoiseModel of(String type, double slider) {
        double p = Math.max(0, Math.min(0.5, slider));
        double level = Math.min(1, 2 * p);
        return switch (type) {
            case "salt" -> NoiseModel.salt(p);
            case "salt-and-pepper" -> NoiseModel.saltAndPepper(p, 0.5);
            case "scan" -> ScanDegradation.all(level, level);
            case "pepper on a grey scan" -> DeviceDegradation.focused(level, level, EnumSet.of(DeviceDegradation.Family.PEPPER));
            case "pen", "paper", "photocopier", "camera" ->
                    DeviceDegradation.focused(level, level, EnumSet.of(DeviceDegradation.Family.parse(type)));
            default -> NoiseModel.pepper(p);
        };
    }
}
