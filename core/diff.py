"""A readable difference between two versions of a text, for people, not patches: whole
lines that came or went, and within a changed line the words that changed; unchanged
stretches between the changes shortened to a gap."""

import difflib
import re
from dataclasses import dataclass, field

SAME, ADDED, REMOVED = "same", "add", "remove"
_WORDS = re.compile(r"\s*\S+\s*|\s+")  # a word with the spaces around it


@dataclass
class DiffLine:
    """One line of the difference: its pieces in order, each (kind, text); `kind` of the
    line says whether it came (ADDED), went (REMOVED), changed within (SAME, with added
    and removed pieces) or stayed. A gap stands for unchanged lines left out."""

    kind: str = SAME
    pieces: list[tuple[str, str]] = field(default_factory=list)
    gap: bool = False

    @property
    def changed_within(self) -> bool:
        return any(kind != SAME for kind, _ in self.pieces) and self.kind == SAME


def _words_of(old: str, new: str) -> list[tuple[str, str]]:
    old_words, new_words = _WORDS.findall(old), _WORDS.findall(new)
    pieces = []
    # Words compared without the spaces around them, so that the last word of a line
    # is the same word when more follows it.
    matcher = difflib.SequenceMatcher(
        a=[word.strip() for word in old_words],
        b=[word.strip() for word in new_words],
        autojunk=False,
    )
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append((SAME, "".join(new_words[b1:b2])))
            continue
        if a2 > a1:
            pieces.append((REMOVED, "".join(old_words[a1:a2])))
        if b2 > b1:
            pieces.append((ADDED, "".join(new_words[b1:b2])))
    return pieces


def word_diff(old_lines: list[str], new_lines: list[str], *, context: int = 2) -> list[DiffLine]:
    """The difference of two texts given as lines; empty when they are the same."""
    if old_lines == new_lines:
        return []
    result: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    shown_until = 0
    for group in matcher.get_grouped_opcodes(context):
        if group[0][1] > shown_until:
            result.append(DiffLine(gap=True))
        for tag, a1, a2, b1, b2 in group:
            old, new = old_lines[a1:a2], new_lines[b1:b2]
            if tag == "equal":
                result += [DiffLine(SAME, [(SAME, line)]) for line in old]
                continue
            # A line replaced by one line: the words that changed, within the line.
            paired = min(len(old), len(new))
            result += [DiffLine(SAME, _words_of(a, b)) for a, b in zip(old, new, strict=False)]
            result += [DiffLine(REMOVED, [(REMOVED, line)]) for line in old[paired:]]
            result += [DiffLine(ADDED, [(ADDED, line)]) for line in new[paired:]]
        shown_until = group[-1][2]
    if shown_until < len(old_lines):
        result.append(DiffLine(gap=True))
    return result
