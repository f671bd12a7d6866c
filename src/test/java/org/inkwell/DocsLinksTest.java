package org.inkwell;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README and the Markdown files under docs/ link only to files and headings that exist, and the README stays
 * short and names the test command that .ci/run runs.
 *
 * <p>Mutations it catches: renaming, moving or deleting a docs/*.md file or an image under resources/docs/ that a page
 * links to; renaming a heading that a {@code file.md#anchor} or same-file {@code #anchor} link points at; a README
 * grown past 200 lines; a README that no longer shows {@code mvn -B test}.
 */
class DocsLinksTest {
    private static final int README_MAX_LINES = 200;
    private static final String TEST_COMMAND = "mvn -B test";

    /** {@code [text](target)} and {@code ![alt](target)}, with an optional {@code <...>} and "title". */
    private static final Pattern INLINE = Pattern.compile("!?\\[[^\\]]*\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    /** Reference-style definitions: {@code [label]: target}. */
    private static final Pattern REFERENCE = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*<?([^\\s>]+)>?.*$");
    /** ATX headings: {@code ## Title}. */
    private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*$");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");
    private static final Pattern EXTERNAL = Pattern.compile("^(https?:|mailto:).*", Pattern.CASE_INSENSITIVE);

    private final Map<Path, Set<String>> headingCache = new HashMap<>();

    @Test
    void everyRelativeLinkAndAnchorResolves() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        Path readme = root.resolve("README.md");
        assertTrue(Files.isRegularFile(readme), "README.md not found in the working directory " + root);

        List<Path> pages = new ArrayList<>();
        pages.add(readme);
        Path docs = root.resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> walk = Files.walk(docs)) {
                pages.addAll(walk.filter(p -> Files.isRegularFile(p) && p.toString().endsWith(".md")).sorted()
                        .collect(Collectors.toList()));
            }
        }

        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (Path page : pages) {
            List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
            boolean inFence = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (isFence(line)) {
                    inFence = !inFence;
                    continue;
                }
                if (inFence) {
                    continue;
                }
                String text = CODE_SPAN.matcher(line).replaceAll("");
                for (String target : targets(text)) {
                    checked++;
                    String why = problem(page, target);
                    if (why != null) {
                        failures.add(root.relativize(page) + ":" + (i + 1) + ": " + target + ": " + why);
                    }
                }
            }
        }
        assertTrue(checked > 0, "no links found in README.md or docs/");
        assertTrue(failures.isEmpty(), failures.size() + " broken link(s) in README.md or docs/:\n"
                + String.join("\n", failures));
    }

    @Test
    void readmeIsShortAndShowsTheTestCommand() throws IOException {
        Path readme = Path.of("").toAbsolutePath().resolve("README.md");
        assertTrue(Files.isRegularFile(readme), "README.md not found in the working directory");
        List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
        assertTrue(lines.size() <= README_MAX_LINES,
                "README.md has " + lines.size() + " lines, more than " + README_MAX_LINES + ": move detail into docs/");
        assertTrue(String.join("\n", lines).contains(TEST_COMMAND),
                "README.md must show the test command '" + TEST_COMMAND + "' (.ci/run runs it)");
    }

    private static List<String> targets(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = INLINE.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
        Matcher ref = REFERENCE.matcher(text);
        if (ref.matches()) {
            out.add(ref.group(1));
        }
        return out;
    }

    /** Why {@code target}, written in {@code page}, does not resolve; null when it does or is not checked here. */
    private String problem(Path page, String target) throws IOException {
        if (EXTERNAL.matcher(target).matches()) {
            return null;
        }
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? "" : target.substring(hash + 1);
        Path file;
        if (path.isEmpty()) {
            file = page;
        } else if (path.startsWith("/")) {
            return "not a relative link";
        } else {
            file = page.getParent().resolve(path).normalize();
        }
        if (!Files.exists(file)) {
            return "no such file " + file;
        }
        if (!anchor.isEmpty() && file.toString().endsWith(".md") && !headings(file).contains(anchor)) {
            return "no heading with the anchor #" + anchor + " in " + file.getFileName();
        }
        return null;
    }

    /** GitHub's anchors for a page's headings, with -1, -2... for repeated ones. */
    private Set<String> headings(Path file) throws IOException {
        Set<String> cached = headingCache.get(file);
        if (cached != null) {
            return cached;
        }
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean inFence = false;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (isFence(line)) {
                inFence = !inFence;
                continue;
            }
            Matcher m = HEADING.matcher(line);
            if (!inFence && m.matches()) {
                String anchor = slug(m.group(1));
                int n = seen.merge(anchor, 1, Integer::sum);
                anchors.add(n == 1 ? anchor : anchor + "-" + (n - 1));
            }
        }
        headingCache.put(file, anchors);
        return anchors;
    }

    /** Lower case, punctuation dropped except '-' and '_', spaces to '-'. */
    static String slug(String heading) {
        return heading.trim().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }

    private static boolean isFence(String line) {
        String t = line.stripLeading();
        return t.startsWith("```") || t.startsWith("~~~");
    }
}
