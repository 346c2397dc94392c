from core.diff import ADDED, REMOVED, SAME, word_diff


def test_a_changed_line_shows_the_words_that_changed():
    [line] = word_diff(["Frivillige i ældreplejen"], ["Frivillige i den ældre pleje"])
    assert line.kind == SAME and line.changed_within
    assert (REMOVED, "ældreplejen") in line.pieces and (ADDED, "den ældre pleje") in line.pieces
    assert "".join(text for kind, text in line.pieces if kind != ADDED) == (
        "Frivillige i ældreplejen"
    )


def test_lines_that_came_or_went_are_whole_and_unchanged_stretches_become_gaps():
    old = [f"Linje {number}" for number in range(1, 11)]
    new = old[:4] + old[5:] + ["En ny linje"]
    lines = word_diff(old, new, context=1)
    assert lines[0].gap, "lines 1-3 left out"
    assert [(line.kind, line.pieces) for line in lines if line.kind == REMOVED] == [
        (REMOVED, [(REMOVED, "Linje 5")])
    ]
    assert lines[-1].kind == ADDED and lines[-1].pieces == [(ADDED, "En ny linje")]
    assert sum(line.gap for line in lines) == 2  # before the first change, between the two


def test_the_same_text_has_no_difference():
    assert word_diff(["a", "b"], ["a", "b"]) == []
