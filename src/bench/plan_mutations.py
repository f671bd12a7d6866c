#!/usr/bin/env python3
"""Mutation check of the oneDNN plans' tests (issue #28): applies each mutation below to the source, runs the tests
that must catch it, puts the source back, and prints one line per mutation: CAUGHT when the tests fail.

Run from the repository root on a clean checkout (it edits files and restores them): python3 src/bench/plan_mutations.py
Results of the last run are in docs/testing.md.
"""
import subprocess, sys
M = [
 ("M1 wrong epsilon (inference BatchNorm fold)", "src/main/java/org/inkwell/onednn/InferencePlan.java",
  "Math.sqrt(var[k] + bn.getEps())", "Math.sqrt(var[k] + 1e-5)", "InferencePlanTest"),
 ("M2 wrong epsilon (training BatchNorm)", "src/main/java/org/inkwell/onednn/TrainingPlan.java",
  "keep(src.mem().get_desc()), (float) bn.getEps(), flags));", "keep(src.mem().get_desc()), 1e-5f, flags));", "TrainingPlanTest"),
 ("M3 wrong gradient divisor (loss gradient averaged over the pass)", "src/main/java/org/inkwell/onednn/SigmoidCrossEntropy.java",
  "dz[i] = (float) (pc == pi ? pi - yi :", "dz[i] = (float) (pc == pi ? (pi - yi) / p.length * 1024 :", "TrainingPlanTest#anSgdStepMovesTheParametersAsDl4jDoes"),
 ("M4 swapped concat slices (backward)", "src/main/java/org/inkwell/onednn/TrainingPlan.java",
  "Slot slot = slot(c.inputs().get(i), part, diffs);", "Slot slot = slot(c.inputs().get(c.parts().size() - 1 - i), c.parts().get(c.parts().size() - 1 - i), diffs);", "TrainingPlanTest#everyLayerKindGivesFloat64Gradients"),
 ("M5 skipped BatchNorm shift (inference)", "src/main/java/org/inkwell/onednn/InferencePlan.java",
  "shift[k] = beta[k] - mean[k] * scale[k];", "shift[k] = 0;", "InferencePlanTest"),
 ("M6 running-statistics update without (1 - decay)", "src/main/java/org/inkwell/onednn/ParameterBridge.java",
  "double keep = 1 - decays.get(layer);", "double keep = 1;", "TrainingPlanTest#everyLayerKindGivesFloat64Gradients"),
 ("M7 running statistics not averaged over passes", "src/main/java/org/inkwell/onednn/PlannedGradient.java",
  "sum[k] /= parts;", "sum[k] /= 1;", "TrainingPlanTest#wholeNetworksMatchDl4jsStep"),
]
subprocess.run("mvn -B -q -o test-compile", shell=True)
for name, f, old, new, test in M:
    s = open(f).read()
    assert old in s, name
    open(f, "w").write(s.replace(old, new))
    r = subprocess.run(f"mvn -B -o test -Dtest='{test}' -Dsurefire.failIfNoSpecifiedTests=false", shell=True, capture_output=True, text=True)
    lines = [l for l in r.stdout.splitlines() if "Tests run:" in l and "in org" not in l]
    print(name, "|", test, "|", "CAUGHT (tests fail)" if r.returncode != 0 else "NOT CAUGHT", "|", lines[-1] if lines else "", flush=True)
    open(f, "w").write(s)
