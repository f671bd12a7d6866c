package org.inkwell.ui;

import org.inkwell.ui.service.DialogService;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/** A {@link DialogService} without a toolkit: answers come from a script, and every question asked is kept. */
public final class ScriptedDialogs implements DialogService {
    private final Deque<Boolean> confirmations = new ArrayDeque<>();
    private final Deque<Path> files = new ArrayDeque<>();
    /** Every header or title shown, in order. */
    public final List<String> asked = new ArrayList<>();

    /** The next yes/no answers, in order; an unscripted question is answered no. */
    public ScriptedDialogs answer(boolean... yes) {
        for (boolean b : yes) {
            confirmations.addLast(b);
        }
        return this;
    }

    /** The next files chosen in open or save dialogs; an unscripted chooser is cancelled. */
    public ScriptedDialogs choose(Path... chosen) {
        files.addAll(List.of(chosen));
        return this;
    }

    @Override
    public void showError(String header, String text) {
        asked.add(header);
    }

    @Override
    public void showInfo(String header, String text) {
        asked.add(header);
    }

    @Override
    public void showText(String title, String text) {
        asked.add(title);
    }

    @Override
    public boolean confirm(String header, String text) {
        asked.add(header);
        Boolean b = confirmations.pollFirst();
        return b != null && b;
    }

    @Override
    public Optional<Path> openFile(String title, FileKind kind, Path startIn) {
        asked.add(title);
        return Optional.ofNullable(files.pollFirst());
    }

    @Override
    public List<Path> openFiles(String title, FileKind kind, Path startIn) {
        asked.add(title);
        Path p = files.pollFirst();
        return p == null ? List.of() : List.of(p);
    }

    @Override
    public Optional<Path> saveFile(String title, FileKind kind, Path startIn, String name) {
        asked.add(title);
        return Optional.ofNullable(files.pollFirst());
    }

    @Override
    public Optional<Path> chooseFolder(String title, Path startIn) {
        asked.add(title);
        return Optional.ofNullable(files.pollFirst());
    }
}
