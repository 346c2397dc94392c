"""The URL inventory and the role-by-URL permission matrix.

Every URL is either on the explicit public list or needs a login; a new URL that
is in neither list fails here until someone decides which it is."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import login
from tests.members.factories import BoardMemberFactory, MemberFactory, StaffFactory

# URL names that anyone may open without logging in.
PUBLIC_URL_NAMES = {
    "home",
    "about",
    "focusareas:list",
    "focusareas:detail",
    "healthz",
    "favicon",
    "invitation_accept",
    "set_language",
    # the personal calendar feed: its secret token is the key (calendar apps cannot log in)
    "events:personal_feed",
    "events:circle_feed_by_token",
    # allauth: the ways in and out, and recovering access
    "account_login",
    "account_logout",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_inactive",
    "account_login_code_confirm",
    "account_request_login_code",
    "account_confirm_login_code",
    "account_reset_password_code",
    "account_reset_password_code_confirm",
    "account_reset_password_code_change",
    "account_email_verify",
    "mfa_authenticate",
    "mfa_trust",
    "mfa_login_webauthn",
    "mfa_signup_webauthn",
    # the admin has its own staff check and sends its login to allauth
    "admin:login",
}

# Prefixes whose views enforce access themselves (the admin checks staff).
SELF_GUARDED_PREFIXES = ("admin:",)


def walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield prefix + str(pattern.pattern), name, pattern.callback


ALL_URLS = list(walk(get_resolver().url_patterns))


def is_public(callback) -> bool:
    view_class = getattr(callback, "view_class", None)
    if getattr(callback, "login_required", True) is False:
        return True
    return bool(view_class and getattr(view_class.dispatch, "login_required", True) is False)


@pytest.mark.parametrize(("route", "name", "callback"), ALL_URLS, ids=[u[0] for u in ALL_URLS])
def test_every_url_is_either_declared_public_or_needs_a_login(route, name, callback):
    if name and name.startswith(SELF_GUARDED_PREFIXES):
        return
    if is_public(callback):
        assert name in PUBLIC_URL_NAMES, (
            f"{route} ({name}) is open to visitors but not on the public list"
        )


def test_every_name_on_the_public_list_exists():
    names = {name for _, name, _ in ALL_URLS}
    unknown = {n for n in PUBLIC_URL_NAMES if n not in names}
    # allauth only mounts some of its views when their feature is on.
    optional = {n for n in unknown if n.startswith(("account_", "mfa_"))}
    assert unknown - optional == set()


ANON, MEMBER, LEAD, BOARD, STAFF = "anonymous", "member", "lead", "board", "staff"


@pytest.fixture
def people(db):
    from circles.models import CircleMembership

    lead = MemberFactory()
    CircleMembership.objects.filter(member=lead).update(role=CircleMembership.Role.LEAD)
    return {
        MEMBER: MemberFactory(),
        LEAD: lead,
        BOARD: BoardMemberFactory(),
        STAFF: StaffFactory(),
    }


def as_role(client, people, role):
    if role != ANON:
        login(client, people[role], mfa=role in (BOARD, STAFF))
    return client


OK, LOGIN, FORBIDDEN = "ok", "login", "forbidden"

# (url name, args) → expected outcome for anonymous, member, lead, board, staff
MATRIX = [
    (("home", []), (OK, OK, OK, OK, OK)),
    (("about", []), (OK, OK, OK, OK, OK)),
    (("members:directory", []), (LOGIN, OK, OK, OK, OK)),
    (("members:profile", []), (LOGIN, OK, OK, OK, OK)),
    (("members:data_export", []), (LOGIN, OK, OK, OK, OK)),
    (("members:invitations", []), (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK)),
    (("members:municipality_changes", []), (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK)),
    (("circles:list", []), (LOGIN, OK, OK, OK, OK)),
    (("circles:detail", ["hovedstaden"]), (LOGIN, OK, OK, OK, OK)),
    (("events:list", []), (LOGIN, OK, OK, OK, OK)),
    (("events:create", []), (LOGIN, FORBIDDEN, OK, OK, OK)),
    (("assemblies:decision_search", []), (LOGIN, OK, OK, OK, OK)),
    (("assemblies:archive", []), (LOGIN, OK, OK, OK, OK)),
    (("focusareas:list", []), (OK, OK, OK, OK, OK)),
    (("focusareas:detail", ["civilsamfund"]), (OK, OK, OK, OK, OK)),
    (("focusareas:edit", ["civilsamfund"]), (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK)),
    (("focusareas:history", ["civilsamfund"]), (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK)),
    (("focusareas:period_create", []), (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK)),
    (("focusareas:contribution_list", []), (LOGIN, OK, OK, OK, OK)),
    (("focusareas:contribution_create", []), (LOGIN, OK, OK, OK, OK)),
    (("focusareas:tag_suggestions", []), (LOGIN, OK, OK, OK, OK)),
    (("focusareas:tag_detail", ["civilsamfund"]), (LOGIN, OK, OK, OK, OK)),
    (("focusareas:notifications", []), (LOGIN, OK, OK, OK, OK)),
    (("admin:focusareas_focusarea_changelist", []), (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    (
        ("admin:focusareas_contribution_changelist", []),
        (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    ),
    (("admin:focusareas_comment_changelist", []), (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    (
        ("admin:focusareas_focusarearevision_changelist", []),
        (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    ),
    (
        ("admin:focusareas_strategyperiod_changelist", []),
        (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    ),
    (("admin:index", []), (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    (("admin:members_member_changelist", []), (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    (
        ("admin:members_municipalitychangerequest_changelist", []),
        (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK),
    ),
    (("admin:events_event_changelist", []), (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
    (("admin:events_reminder_changelist", []), (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK)),
]


@pytest.mark.parametrize(("target", "expected"), MATRIX, ids=[m[0][0] for m in MATRIX])
def test_role_url_permission_matrix(client, people, target, expected):
    name, args = target
    url = reverse(name, args=args)
    for role, outcome in zip((ANON, MEMBER, LEAD, BOARD, STAFF), expected, strict=True):
        client.logout()
        response = as_role(client, people, role).get(url, follow=True)
        hops = [hop for hop, _ in response.redirect_chain]
        if outcome == OK:
            assert response.status_code == 200 and not hops, (role, url, hops)
        elif outcome == LOGIN:
            assert hops and hops[-1].startswith(reverse("account_login")), (role, url, hops)
        else:
            assert response.status_code in (403, 404), (role, url, response.status_code)


def test_a_member_profile_page_needs_a_login_and_shows_only_active_members(client, people):
    from members.services import member_mark_former

    url = reverse("members:detail", args=[people[MEMBER].pk])
    assert client.get(url).status_code == 302
    login(client, people[LEAD])
    assert client.get(url).status_code == 200
    member_mark_former(member=people[MEMBER])
    assert client.get(url).status_code == 404


def test_the_event_pages_follow_the_role_matrix(client, people):
    """A circle meeting of the lead's circle: members of other circles get 404; the lead,
    the board and staff manage it; a plain member of the circle only sees it."""
    from datetime import timedelta

    from django.utils import timezone

    from circles.models import CircleMembership
    from events import services
    from events.models import Event

    lead = people[LEAD]
    circle = CircleMembership.objects.get(member=lead).circle
    start = timezone.now() + timedelta(days=10)
    event = services.event_create(
        actor=lead,
        organiser=lead,
        kind=Event.Kind.CIRCLE_MEETING,
        circle=circle,
        title="Kredsmøde",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        location="Rådhuset",
    )
    same_circle = MemberFactory(municipality=lead.municipality)
    other_circle = MemberFactory(
        municipality=lead.municipality.region.municipalities.model.objects.exclude(
            region=lead.municipality.region
        ).first()
    )
    expectations = {
        "events:detail": {same_circle: 200, other_circle: 404, lead: 200, people[BOARD]: 200},
        "events:ics": {same_circle: 200, other_circle: 404, lead: 200, people[BOARD]: 200},
        "events:edit": {same_circle: 404, other_circle: 404, lead: 200, people[STAFF]: 200},
        "events:cancel": {same_circle: 404, other_circle: 404, lead: 200, people[STAFF]: 200},
        "events:attendees_csv": {same_circle: 404, lead: 200, people[BOARD]: 200},
        "events:minutes": {same_circle: 404, lead: 200},
        "events:history": {same_circle: 404, other_circle: 404, lead: 200, people[STAFF]: 200},
    }
    for name, by_person in expectations.items():
        url = reverse(name, args=[event.pk])
        for person, status in by_person.items():
            client.logout()
            login(client, person, mfa=person in (people[BOARD], people[STAFF]))
            assert client.get(url).status_code == status, (name, person, status)
    client.logout()
    assert client.get(reverse("events:detail", args=[event.pk])).status_code == 302


def test_the_assembly_day_pages_follow_the_role_matrix(client, people):
    """The general assembly's day: members give proxies; the register, the decisions and
    the list of proxies are the board's; draft minutes too, published ones every member's."""
    from django.utils import timezone

    from assemblies.models import Minutes
    from tests.assemblies.day_factories import make_assembly

    assembly = make_assembly()
    event_id = assembly.event.pk
    member = people[MEMBER]
    pages = {
        "assemblies:proxy": (LOGIN, OK, OK, OK, OK),
        "assemblies:proxy_overview": (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
        "assemblies:attendance": (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
        "assemblies:decisions": (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
        "assemblies:minutes": (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    }
    posts = {
        "assemblies:attendance_check_in": (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
        "assemblies:attendance_undo": (LOGIN, FORBIDDEN, FORBIDDEN, OK, OK),
    }

    def check(url, expected, send):
        for role, outcome in zip((ANON, MEMBER, LEAD, BOARD, STAFF), expected, strict=True):
            client.logout()
            response = send(as_role(client, people, role), url)
            if outcome == OK:
                assert response.status_code in (200, 302), (role, url, response.status_code)
                if response.status_code == 302:
                    assert not response["Location"].startswith(reverse("account_login"))
            elif outcome == LOGIN:
                assert response.status_code == 302, (role, url)
                assert response["Location"].startswith(reverse("account_login")), (role, url)
            else:
                assert response.status_code in (403, 404), (role, url, response.status_code)

    for name, expected in pages.items():
        check(reverse(name, args=[event_id]), expected, lambda c, url: c.get(url))
    for name, expected in posts.items():
        url = reverse(name, args=[event_id, member.pk])
        check(url, expected, lambda c, url: c.post(url))
    Minutes.objects.create(
        assembly=assembly, text="Referat", approved_at=timezone.now(), published_at=timezone.now()
    )
    check(
        reverse("assemblies:minutes", args=[event_id]),
        (LOGIN, OK, OK, OK, OK),
        lambda c, url: c.get(url),
    )


def test_the_general_assembly_pages_follow_the_role_matrix(client, people):
    """Members read the agenda and the motions, submit motions and stand for election;
    the board (and staff) edit the agenda and send the notice; visitors get the login
    page; a deputy reads, but proposes nothing of their own."""
    from datetime import timedelta

    from django.utils import timezone

    from assemblies.models import Assembly
    from events import services
    from events.models import Event
    from tests.members.factories import make_deputy

    start = timezone.now() + timedelta(days=60)
    event = services.event_create(
        actor=None,
        organiser=people[BOARD],
        kind=Event.Kind.GENERAL_ASSEMBLY,
        title="Generalforsamling",
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        location="Nyborg",
        announce=False,
    )
    item = Assembly.objects.get(event=event).items.first()
    deputy = make_deputy(people[MEMBER])
    board, staff, member = people[BOARD], people[STAFF], people[MEMBER]
    reads = {member: 200, deputy: 200, board: 200, staff: 200}
    proposes = {member: 200, deputy: 404, board: 200, staff: 200}
    prepares = {member: 404, deputy: 404, people[LEAD]: 404, board: 200, staff: 200}
    expectations = {
        ("assemblies:agenda", (event.pk,)): reads,
        ("assemblies:motions", (event.pk,)): reads,
        ("assemblies:motion_create", (event.pk,)): proposes,
        ("assemblies:candidacy", (event.pk,)): proposes,
        ("assemblies:agenda_edit", (event.pk,)): prepares,
        ("assemblies:item_edit", (event.pk, item.pk)): prepares,
        ("assemblies:notice", (event.pk,)): prepares,
        ("assemblies:index", ()): {member: 302, board: 302},
    }
    for (name, args), by_person in expectations.items():
        url = reverse(name, args=args)
        client.logout()
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        for person, status in by_person.items():
            client.logout()
            login(client, person, mfa=person in (board, staff))
            assert client.get(url).status_code == status, (name, person, status)
    # An event of another kind has no agenda page.
    client.logout()
    login(client, member)
    other = Event.objects.exclude(kind=Event.Kind.GENERAL_ASSEMBLY).first()
    if other is not None:
        assert client.get(reverse("assemblies:agenda", args=[other.pk])).status_code == 404
    assert client.get(reverse("assemblies:agenda", args=[2**40])).status_code == 404
