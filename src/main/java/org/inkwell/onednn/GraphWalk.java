package org.inkwell.onednn;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.ScaleVertex;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The walk both plans make over a network: its vertices in topological order, the input and the vertices a caller
 * skips left out, each with the vertices it reads, a scale-by-one vertex replaced by what it reads.
 */
final class GraphWalk {
    /** One vertex on the walk, with the names of what it reads (scale-by-one vertices resolved). */
    record Step(String name, GraphVertex vertex, List<String> from) {
    }

    interface Visitor {
        void visit(Step step);
    }

    private GraphWalk() {
    }

    /** Visits every vertex but the input, the scale-by-one vertices and those {@code skip} says (already handled). */
    static void walk(ComputationGraphConfiguration conf, java.util.function.Predicate<String> skip, Visitor visitor) {
        Map<String, List<String>> inputsOf = conf.getVertexInputs();
        Map<String, String> aliasOf = new HashMap<>();
        for (String name : conf.getTopologicalOrderStr()) {
            GraphVertex v = conf.getVertices().get(name);
            if (v == null || skip.test(name)) {
                continue; // the input, or what the caller handles elsewhere
            }
            List<String> from = inputsOf.get(name).stream().map(s -> aliasOf.getOrDefault(s, s)).toList();
            if (v instanceof ScaleVertex) {
                aliasOf.put(name, from.get(0)); // supports() admits only a scale of one
                continue;
            }
            visitor.visit(new Step(name, v, from));
        }
    }

    /** The one vertex that reads {@code name}, when exactly one does; else null. */
    static String onlyConsumer(String name, Map<String, List<String>> inputsOf, Map<String, Integer> consumers) {
        if (consumers.getOrDefault(name, 0) != 1) {
            return null;
        }
        for (var e : inputsOf.entrySet()) {
            if (e.getValue().size() == 1 && e.getValue().get(0).equals(name)) {
                return e.getKey();
            }
        }
        return null;
    }
}
