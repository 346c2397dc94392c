"""Fragments cached by key: stored under their version, rendered again when it moves,
per language, and rendered afresh when the switch is off."""

from django.template import Context, Template
from django.utils import translation

from core.fragments import cached_fragment, cached_fragments


def _render_counting(calls: list):
    def render(items):
        calls.append(list(items))
        return [f"<li>{item['title']}</li>" for item in items]

    return render


def test_a_fragment_is_rendered_once_per_version_and_only_the_changed_one_again():
    calls = []
    rows = [{"id": 1, "title": "A"}, {"id": 2, "title": "B"}]
    version = lambda row: (row["id"], row["title"])  # noqa: E731
    first = cached_fragments(rows, name="row", version=version, render=_render_counting(calls))
    again = cached_fragments(rows, name="row", version=version, render=_render_counting(calls))
    assert first == again == ["<li>A</li>", "<li>B</li>"]
    assert calls == [rows]
    rows[1] = {"id": 2, "title": "B2"}
    changed = cached_fragments(rows, name="row", version=version, render=_render_counting(calls))
    assert changed == ["<li>A</li>", "<li>B2</li>"]
    assert calls[-1] == [{"id": 2, "title": "B2"}]


def test_each_language_has_its_own_fragment():
    with translation.override("da"):
        danish = cached_fragment("greeting", (1,), lambda: translation.get_language())
    with translation.override("en"):
        english = cached_fragment("greeting", (1,), lambda: translation.get_language())
    assert (danish, english) == ("da", "en")


def test_the_switch_renders_every_fragment(settings):
    settings.PAGE_CACHE = False
    calls = []
    for _ in range(2):
        cached_fragments(
            [{"id": 1, "title": "A"}],
            name="row",
            version=lambda r: (1,),
            render=_render_counting(calls),
        )
    assert len(calls) == 2


def test_the_template_tag_caches_its_block_by_the_version_given():
    template = Template(
        '{% load fragments %}{% fragment "body" item.id item.version %}'
        "{{ item.text }}{% endfragment %}"
    )
    assert template.render(Context({"item": {"id": 1, "version": 1, "text": "først"}})) == "først"
    assert template.render(Context({"item": {"id": 1, "version": 1, "text": "ændret"}})) == "først"
    assert template.render(Context({"item": {"id": 1, "version": 2, "text": "ændret"}})) == "ændret"
