"""Hostile and random input to every URL and every form, as every role.

No response is a 500, and a rejected request (4xx, or a form shown again with errors)
changes nothing already saved."""

import hashlib
import re

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import login
from tests.members.factories import BoardMemberFactory, MemberFactory, StaffFactory

# Not fuzzed: logout ends the session under test; the admin is Django's own, tested
# upstream, and reached only by staff with MFA.
SKIPPED_PREFIXES = ("admin/", "accounts/logout/")
# State that requests are meant to touch: sessions, and the login timestamp.
VOLATILE_MODELS = {"sessions.session", "admin.logentry"}

HOSTILE = [
    "",
    "\x00",
    "a\x00b",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "' OR 1=1 --",
    "../../../../etc/passwd",
    "%00",
    "9" * 40,
    "-1",
    "0",
    "ø" * 600,
    "{{ 7*7 }}",
    "😀",
    "2026-13-45",
    "1e309",
    # Out-of-range dates and months: Python's datetime runs out at years 1 and 9999.
    "0001-01-01",
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "9999-12",
    "1-1",
    # Ids past the 64-bit range: SQLite raises OverflowError on them.
    str(2**63),
    str(-(2**63) - 1),
    # NUL bytes inside text, and line breaks in what should be one line.
    "1\x00",
    "ledelse,\x00",
    "første\nanden",
]
# Per converter: an id past the 64-bit range, a slug too long for any row, a NUL byte.
HOSTILE_PATH_VALUES = {"int": str(2**63), "slug": "x" * 300, "str": "a\x00b"}
QUERY_KEYS = [
    "q",
    "side",
    "circle",
    "municipality",
    "next",
    "tag",
    "tags",
    "maaned",
    "kind",
    "author",
    "til",
    "fra",
    "spoergsmaal",
]
hostile_text = st.one_of(st.text(max_size=300), st.sampled_from(HOSTILE))


def routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


ROUTES = sorted(set(routes()))
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def path_for(route: str, values: list[str]) -> str:
    """The route with each <converter:name> replaced by the next value."""
    remaining = iter(values)
    return "/" + PARAMETER.sub(lambda _: next(remaining), route).lstrip("^").rstrip("$")


def parameter_values(route: str):
    converters = [m.group(1) or "str" for m in PARAMETER.finditer(route)]
    values = []
    for converter in converters:
        if converter == "int":
            values.append(
                st.one_of(
                    st.integers(min_value=0, max_value=10**12),
                    st.integers(min_value=2**63 - 2, max_value=10**40),
                ).map(str)
            )
        elif converter == "slug":
            values.append(st.from_regex(r"\A[-a-zA-Z0-9_]{1,60}\Z"))
        else:
            values.append(
                st.one_of(
                    st.text(
                        alphabet=st.characters(blacklist_characters="/?#%", codec="utf-8"),
                        min_size=1,
                        max_size=80,
                    ).map(lambda text: text.strip() or "x"),
                    st.sampled_from(["\x00", "a\x00b", "a" * 40 + "\x00"]),
                )
            )
    return st.tuples(*values).map(list)


def fingerprint() -> str:
    """A hash of every row the portal keeps, bar sessions and logs."""
    digest = hashlib.sha256()
    for model in apps.get_models():
        if model._meta.label_lower in VOLATILE_MODELS:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.attname != "last_login"]
        digest.update(repr(list(model.objects.order_by("pk").values_list(*fields))).encode())
    return digest.hexdigest()


def rejected(response) -> bool:
    body = response.content.decode(errors="replace") if response.content else ""
    return response.status_code >= 400 or (
        response.status_code == 200 and 'data-module="error-summary"' in body
    )


@pytest.fixture
def people(db):
    return {
        "visitor": None,
        "member": MemberFactory(),
        "board": BoardMemberFactory(),
        "staff": StaffFactory(),
    }


def form_fields(response) -> list[str]:
    body = response.content.decode(errors="replace")
    names = set(re.findall(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', body))
    return sorted(names - {"csrfmiddlewaretoken"})


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.django_db
def test_hostile_input_never_gives_a_500_and_a_rejected_request_changes_nothing(
    client, people, route
):
    @settings(
        max_examples=6,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        derandomize=True,
    )
    @given(
        role=st.sampled_from(sorted(people)),
        values=parameter_values(route),
        payload=st.lists(hostile_text, min_size=1, max_size=8),
        query=st.dictionaries(
            st.sampled_from(
                ["q", "side", "circle", "municipality", "next", "tag", "tags", "maaned", "kind"]
            ),
            hostile_text,
            max_size=3,
        ),
    )
    def probe(role, values, payload, query):
        send(client, people, role, path_for(route, values), payload, query)

    probe()
    # Each parameter of the address, as a member: past the 64-bit range, or with a NUL.
    converters = [m.group(1) or "str" for m in PARAMETER.finditer(route)]
    hostile_path = path_for(route, [HOSTILE_PATH_VALUES.get(c, "a\x00b") for c in converters])
    send(client, people, "member", hostile_path, HOSTILE, {}, post=False)
    # Every value of the hostile corpus reaches every query parameter as a member, and
    # every form field in a few rotations; the other roles get one pass.
    path = path_for(route, ["1"] * route.count("<"))
    for role in people:
        for rotation in range(len(HOSTILE) if role == "member" else 1):
            corpus = HOSTILE[rotation:] + HOSTILE[:rotation]
            query = {key: corpus[i % len(corpus)] for i, key in enumerate(QUERY_KEYS)}
            send(client, people, role, path, corpus, query, post=rotation % 4 == 0)


def send(client, people, role, path, payload, query, post=True) -> None:
    """GET with the query, then POST the payload into the form fields the page shows."""
    client.logout()
    if people[role] is not None:
        login(client, people[role], mfa=role in ("board", "staff"))
    response = client.get(path, query)
    assert response.status_code < 500, (role, path, query)
    if not post:
        return

    fields = form_fields(response) or ["q", "email"]
    data = {name: payload[i % len(payload)] for i, name in enumerate(fields)}
    before = fingerprint()
    response = client.post(path, data)
    assert response.status_code < 500, (role, path, data)
    if rejected(response):
        assert fingerprint() == before, (role, path, data, response.status_code)
