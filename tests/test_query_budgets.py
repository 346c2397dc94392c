"""Every page's query count is pinned, and does not grow when the data grows tenfold.

Each page is visited with real arguments at the demo's size (`seed_demo --scale 1`),
then again after the scale modules have added far more than ten times its rows, and
after the objects whose pages are measured have grown tenfold themselves (comments on
the measured contribution, answers to the measured events, members of the measured
circle, ...). A view that only takes a POST is measured by the POST its form sends."""

import io
import random
from datetime import timedelta
from functools import partial

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from assemblies.demo import DEMO_TITLE as DEMO_ASSEMBLY
from assemblies.models import (
    AgendaItem,
    Assembly,
    Attendance,
    Candidacy,
    Decision,
    Election,
    Minutes,
    MinutesVersion,
    Motion,
    Proxy,
)
from circles.models import Circle, CircleMembership
from circles.scale import scale_circle_memberships_create
from documents import services as document_services
from documents.models import Document, DocumentVersion
from events import services as event_services
from events.models import RSVP, Event, EventPreferences, MinutesRevision, Reminder
from events.scale import scale_events_create
from events.selectors import personal_feed_events
from focusareas.models import (
    Comment,
    Contribution,
    FocusArea,
    FocusAreaFollow,
    FocusAreaRevision,
    TagFollow,
)
from focusareas.scale import scale_contributions_create
from members.demo import DEMO_DOMAIN
from members.models import Invitation, Member, Municipality, MunicipalityChangeRequest, hash_token
from members.scale import scale_members_create
from tests.conftest import login
from tests.documents.factories import make_document, ooxml_bytes, upload

# Query counts are of the render, not of a page served from the cache.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_page_cache")]

# Pages the board uses (editing focus areas, invitations, hiding content, organising
# association-wide events): visited by a board member with MFA, on the board's event.
BOARD_PAGES = {
    "assemblies:attendance",
    "assemblies:attendance_check_in",
    "assemblies:attendance_undo",
    "assemblies:decisions",
    "assemblies:minutes",
    "assemblies:proxy_overview",
    "members:invitations",
    "members:municipality_changes",
    "focusareas:period_create",
    "focusareas:edit",
    "focusareas:history",
    "focusareas:restore",
    "focusareas:contribution_hide",
    "focusareas:comment_hide",
    "events:create",
    "events:edit",
    "events:history",
    "events:cancel",
    "events:attendees_csv",
    "events:minutes",
    "events:invitation_resend",
    "documents:upload",
    "documents:delete",
    "assemblies:agenda_edit",
    "assemblies:item_edit",
    "assemblies:notice",
}

# The pages members use most: they must render (200), not redirect or refuse.
MUST_RENDER = [
    "home",
    "focusareas:list",
    "focusareas:detail",
    "focusareas:contribution_list",
    "focusareas:contribution_detail",
    "focusareas:tag_detail",
    "events:list",
    "events:detail",
    "events:personal_feed",
    "members:directory",
    "members:detail",
    "circles:list",
    "circles:detail",
    "focusareas:edit",
    "focusareas:history",
    "members:invitations",
    "members:municipality_changes",
]

# The measured number of queries of a GET of each page (member, or board for BOARD_PAGES),
# or of the POST of a view in POSTS.
# Pin the measured number: a change here is a decision, made in review.
BUDGETS = {
    "about": 2,
    "account_change_password": 1,
    "account_confirm_email": 1,
    "account_confirm_login_code": 1,
    "account_confirm_reauthentication_code": 1,
    "account_email": 3,
    "account_email_verification_sent": 1,
    "account_inactive": 1,
    "account_login": 1,
    "account_reauthenticate": 9,
    "account_request_reauthentication_code": 10,
    "account_reset_password": 1,
    "account_reset_password_done": 1,
    "account_reset_password_from_key": 2,
    "account_reset_password_from_key_done": 1,
    "account_set_password": 1,
    "account_signup": 1,
    "assemblies:agenda": 7,  # the items, their documents, candidates and published motions
    "assemblies:agenda_edit": 4,
    "assemblies:archive": 2,
    "assemblies:attendance": 7,  # the three of the votes, and the register's people
    "assemblies:attendance_check_in": 8,  # POST
    "assemblies:attendance_undo": 5,  # POST
    "assemblies:candidacy": 5,
    "assemblies:decision_search": 3,
    "assemblies:decisions": 12,  # the elections and their members, the forms' selects
    "assemblies:index": 2,
    "assemblies:item_edit": 7,
    "assemblies:minutes": 4,
    "assemblies:motion_create": 2,
    "assemblies:motions": 5,
    "assemblies:notice": 4,
    "assemblies:proxy": 5,
    "assemblies:proxy_overview": 4,
    "circles:detail": 6,  # the leads, the first members by name, the member's feed token
    "circles:list": 3,
    "documents:delete": 6,
    "documents:download": 3,
    "documents:upload": 5,
    "documents:version": 4,
    "documents:versions": 6,
    "events:attendees_csv": 6,
    "events:calendar_token": 2,  # POST
    "events:cancel": 5,
    "events:circle_feed": 5,  # 5 when every VEVENT is in the cache
    "events:circle_feed_by_token": 6,  # the member by token, then as the circle feed
    "events:create": 5,
    "events:detail": 13,  # the documents, whether the member leads the circle, their deputy
    "events:edit": 9,
    "events:history": 8,
    "events:ics": 5,
    "events:invitation_resend": 10,  # POST: one outbox row however many are invited
    "events:list": 7,
    "events:minutes": 6,
    "events:personal_feed": 5,  # 5 when every VEVENT is in the cache
    "events:rsvp": 26,  # POST
    "favicon": 1,
    "focusareas:comment_create": 4,  # POST
    "focusareas:comment_delete": 5,  # POST
    "focusareas:comment_edit": 4,
    "focusareas:comment_hide": 5,
    "focusareas:contribution_create": 10,
    "focusareas:contribution_delete": 3,
    "focusareas:contribution_withdraw": 3,
    "focusareas:contribution_detail": 5,
    "focusareas:contribution_edit": 12,
    "focusareas:contribution_hide": 4,
    "focusareas:contribution_list": 7,
    "focusareas:detail": 11,
    "focusareas:edit": 6,
    "focusareas:follow": 6,  # POST
    "focusareas:history": 4,
    "focusareas:list": 6,
    "focusareas:notifications": 7,
    "focusareas:period_create": 2,
    "focusareas:restore": 21,  # POST
    "focusareas:tag_detail": 7,
    "focusareas:tag_follow": 6,  # POST
    "focusareas:tag_suggestions": 5,
    "healthz": 2,
    "home": 8,
    "invitation_accept": 1,
    "members:data_export": 39,  # one query for each kind of data (events: meeting settings)
    "members:deputy": 3,
    "members:detail": 3,
    "members:directory": 6,
    "members:erase": 9,
    "members:invitations": 4,
    "members:municipality_changes": 3,
    "members:profile": 4,  # the pending change of municipality, events' meeting settings
    "mfa_activate_totp": 7,
    "mfa_add_webauthn": 8,
    "mfa_authenticate": 1,
    "mfa_deactivate_totp": 2,
    "mfa_download_recovery_codes": 2,
    "mfa_edit_webauthn": 3,
    "mfa_generate_recovery_codes": 3,
    "mfa_index": 3,
    "mfa_list_webauthn": 2,
    "mfa_reauthenticate": 5,
    "mfa_reauthenticate_webauthn": 5,
    "mfa_remove_webauthn": 3,
    "mfa_view_recovery_codes": 2,
    "set_language": 1,
}


# Views that take only a POST: measured by the POST their form sends, with its status.
POSTS = {
    "assemblies:attendance_check_in": ({}, 302),
    "assemblies:attendance_undo": ({}, 302),
    "events:calendar_token": ({"action": "regenerate"}, 302),
    "events:invitation_resend": ({}, 302),
    "events:rsvp": ({"answer": "yes"}, 302),
    "focusareas:comment_create": ({"body": "Tak for erfaringen."}, 302),
    "focusareas:comment_delete": ({}, 302),
    "focusareas:follow": ({"follow": "1"}, 302),
    "focusareas:restore": ({}, 302),
    "focusareas:tag_follow": ({"follow": "1"}, 302),
}


def url_names(patterns=None, namespace="", params=()):
    """Every named URL outside the admin, with the names of its parameters."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        own = (*params, *pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern.url_patterns, ns, own)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", own


PAGES = sorted(set(url_names()))


def demo(local: str) -> Member:
    return Member.objects.get(email=f"{local}@{DEMO_DOMAIN}")


@pytest.fixture
def portal(db):
    """The demo, with the people and objects whose pages are visited."""
    call_command("seed_demo", scale=1, stdout=io.StringIO())
    member, board = demo("anders.bech"), demo("birgitte.holm")
    contribution = Contribution.objects.filter(author=member).order_by("pk").first()
    # The demo has no past meeting; an empty list makes no prefetch queries, so one is
    # added here, and both passes then compare lists that have rows.
    a_year_ago = timezone.now() - timedelta(days=365)
    Event.objects.create(
        kind=Event.Kind.CIRCLE_MEETING,
        circle=Circle.objects.get(slug="hovedstaden"),
        organiser=demo("soeren.kragh"),
        title="Kredsmøde i Hovedstaden: sidste år",
        starts_at=a_year_ago,
        ends_at=a_year_ago + timedelta(hours=2),
    )
    # Two members asking to move: the board's list of changes of municipality has rows.
    aalborg = Municipality.objects.get(name="Aalborg")
    MunicipalityChangeRequest.objects.bulk_create(
        MunicipalityChangeRequest(
            member=m, from_municipality=m.municipality, to_municipality=aalborg
        )
        for m in Member.objects.active().exclude(pk__in=[member.pk, board.pk]).order_by("pk")[:2]
    )
    member_event = Event.objects.filter(circle__slug="hovedstaden").order_by("pk").first()
    board_event = Event.objects.filter(organiser=board).order_by("pk").first()
    # The demo's general assembly: its pages are measured on it, with a row of each of
    # the day's lists (an empty list makes no prefetch queries).
    assembly = Assembly.objects.select_related("event").get(event__title=DEMO_ASSEMBLY)
    item = assembly.items.get(kind=AgendaItem.Kind.BOARD_ELECTION)
    decision = Decision.objects.create(item=item, outcome="elected", text="Valgt.")
    Election.objects.create(decision=decision, member=board, name="Valgt", role="board_member")
    minutes, _ = Minutes.objects.get_or_create(assembly=assembly)
    MinutesVersion.objects.create(minutes=minutes, text="Udkast.", author=board)
    Proxy.objects.create(assembly=assembly, giver=demo("soeren.kragh"), holder=board)
    Attendance.objects.create(assembly=assembly, member=board)
    return {
        "assembly": assembly,
        "agenda_item": assembly.items.get(kind=AgendaItem.Kind.ACCOUNTS),
        "document": make_document(event=member_event, actor=board, title="Dagsorden"),
        "member": member,
        "board": board,
        "calendar_token": event_services.calendar_token_regenerate(member=member),
        "contribution": contribution,
        "comment": Comment.objects.filter(author=member).order_by("pk").first(),
        "tag": contribution.tags.order_by("pk").first(),
        "focus_area": FocusArea.objects.order_by("pk").first(),
        "member_event": Event.objects.filter(circle__slug="hovedstaden").order_by("pk").first(),
        "board_event": board_event,
    }


def arguments(name: str, params: tuple[str, ...], portal: dict) -> dict:
    board_page = name in BOARD_PAGES
    values = {
        "member_id": portal["member"].pk,
        "contribution_id": portal["contribution"].pk,
        "comment_id": (
            portal["doomed_comment"] if name == "focusareas:comment_delete" else portal["comment"]
        ).pk,
        "event_id": (
            portal["assembly"].event
            if name.startswith("assemblies:")
            else portal["board_event"]
            if board_page
            else portal["member_event"]
        ).pk,
        "item_id": portal["agenda_item"].pk,
        "document_id": portal["document"].pk,
        "version_id": portal["document"].current_version_id,
        "number": 1,
        "pk": 1,
        "key": "x",
        "uidb36": "x",
    }
    if name.startswith("focusareas:tag_"):
        values["slug"] = portal["tag"].slug
    elif name.startswith(("circles:", "events:")):
        values["slug"] = "hovedstaden"
    else:
        values["slug"] = portal["focus_area"].slug
    values["token"] = portal["calendar_token"] if name == "events:personal_feed" else "x"
    return {param: values[param] for param in params}


def before_post(name: str, portal: dict) -> None:
    """Undo what the last pass's POST did, so that every pass's POST does the same work."""
    member = portal["member"]
    if name == "events:rsvp":
        RSVP.objects.filter(event=portal["member_event"], member=member).delete()
        Reminder.objects.filter(event=portal["member_event"], member=member).delete()
    elif name == "focusareas:follow":
        FocusAreaFollow.objects.filter(member=member, focus_area=portal["focus_area"]).delete()
    elif name == "focusareas:tag_follow":
        TagFollow.objects.filter(member=member, tag=portal["tag"]).delete()
    elif name == "assemblies:attendance_check_in":
        Attendance.objects.filter(member=member).delete()
    elif name == "assemblies:attendance_undo":
        Attendance.objects.get_or_create(assembly=portal["assembly"], member=member)
    elif name == "focusareas:comment_delete":
        portal["doomed_comment"] = Comment.objects.create(
            contribution=portal["contribution"], author=member, body="Skrevet for at slettes."
        )


def after_post(name: str, portal: dict) -> None:
    if name == "events:calendar_token":  # the feed is measured at its new address
        portal["calendar_token"] = EventPreferences.objects.get(
            member=portal["member"]
        ).calendar_token


def measure_every_page(client, portal) -> dict[str, tuple[int, int]]:
    """Each page's query count and status code: a GET, or the POST of a POST-only view."""
    counts = {}
    for role in ("member", "board"):
        client.logout()
        login(client, portal[role], mfa=role == "board")
        client.get(reverse("home"))  # warms the session and the caches of this process
        for name, params in PAGES:
            if (name in BOARD_PAGES) != (role == "board") or name == "account_logout":
                continue
            if name in POSTS:
                before_post(name, portal)
            url = reverse(name, kwargs=arguments(name, params, portal))
            send = partial(client.post, data=POSTS[name][0]) if name in POSTS else client.get
            with CaptureQueriesContext(connection) as queries:
                response = send(url)
            assert response.status_code < 500, (name, url)
            if name in POSTS:
                assert response.status_code == POSTS[name][1], (name, response.status_code)
                after_post(name, portal)
            counts[name] = (len(queries), response.status_code)
    return counts


def grow_the_measured_objects(*, rng: random.Random, portal: dict, members: list[Member]) -> None:
    """Tenfold, at least, what each measured page shows of its own objects: the scale
    modules spread their rows over objects of their own."""
    member, board = portal["member"], portal["board"]
    contribution, focus_area = portal["contribution"], portal["focus_area"]
    circle = Circle.objects.get(slug="hovedstaden")
    CircleMembership.objects.bulk_create(
        [CircleMembership(member=m, circle=circle) for m in members], ignore_conflicts=True
    )
    # Meetings of the measured circle: the member's feed, the circle's page and feed.
    scale_events_create(rng=rng, scale=1, members=[member])
    # The member is coming to them: the events they said yes to fill their feed.
    RSVP.objects.bulk_create(
        [
            RSVP(event=event, member=member, answer=RSVP.Answer.YES)
            for event in Event.objects.filter(circle=circle).exclude(pk=portal["member_event"].pk)
        ],
        ignore_conflicts=True,
    )
    commenters = [*members[:60], member]
    Comment.objects.bulk_create(
        Comment(contribution=c, author=author, body=f"Kommentar {number}.")
        for c in {contribution, portal["comment"].contribution}
        for number, author in enumerate(commenters)
    )
    others = list(Contribution.objects.exclude(author=member).order_by("pk")[:60])
    Comment.objects.bulk_create(Comment(contribution=c, author=member, body="Tak.") for c in others)
    # The member's own contributions, with the measured tag, in the measured focus area.
    own = Contribution.objects.bulk_create(
        Contribution(
            author=member,
            title=f"Erfaring nr. {number}",
            body="Tekst.",
            status=Contribution.Status.PUBLISHED,
            published_at=timezone.now() - timedelta(days=number),
        )
        for number in range(20)
    )
    content_type = ContentType.objects.get_for_model(Contribution)
    tagged = [*own, *rng.sample(others, 20)]
    TaggedItem.objects.bulk_create(
        [TaggedItem(tag=portal["tag"], content_type=content_type, object_id=c.pk) for c in tagged],
        ignore_conflicts=True,
    )
    answers = [RSVP.Answer.YES, RSVP.Answer.MAYBE, RSVP.Answer.NO]
    for event in (portal["member_event"], portal["board_event"]):
        # A seat stays free, so that the measured yes takes a seat in both passes.
        taken = event.rsvps.filter(answer=RSVP.Answer.YES).count()
        seats = event.capacity - taken - 1 if event.capacity else len(members)
        rows = []
        for number, m in enumerate(members[:60]):
            answer = answers[number % 3]
            if answer == RSVP.Answer.YES:
                seats -= 1
                if seats < 0:
                    answer = RSVP.Answer.MAYBE
            rows.append(RSVP(event=event, member=m, answer=answer))
        RSVP.objects.bulk_create(rows, ignore_conflicts=True)
    # Documents of the measured event, and versions of the measured document.
    document = portal["document"]
    for number in range(12):
        make_document(event=portal["member_event"], actor=board, title=f"Bilag {number}")
        document_services.document_replace(
            actor=board, document=document, file=upload(f"v{number}.docx", ooxml_bytes())
        )
    # The general assembly's day: attendance, proxies, decisions with elections, versions.
    assembly = portal["assembly"]
    Attendance.objects.bulk_create(
        [Attendance(assembly=assembly, member=m) for m in members[:60]], ignore_conflicts=True
    )
    Proxy.objects.bulk_create(
        Proxy(assembly=assembly, giver=giver, holder=holder)
        for giver, holder in zip(members[60:90], members[:30], strict=True)
    )
    item = assembly.items.get(kind=AgendaItem.Kind.BOARD_ELECTION)
    for number in range(12):
        decision = Decision.objects.create(item=item, outcome="elected", text=f"Valg {number}.")
        Election.objects.create(
            decision=decision, member=members[number], name=f"Valgt {number}", role="board_member"
        )
    MinutesVersion.objects.bulk_create(
        MinutesVersion(minutes=assembly.minutes, text=f"Udkast {n}.", author=board)
        for n in range(20)
    )
    # The measured assembly: documents on its items, motions, candidates.
    for number in range(12):
        document = make_document(event=assembly.event, actor=board, title=f"Bilag {number}")
        portal["agenda_item"].documents.add(document)
    Motion.objects.bulk_create(
        Motion(assembly=assembly, proposer=m, title=f"Forslag {n}", text="Tekst.")
        for n, m in enumerate([*members[:30], member])
    )
    election = assembly.items.get(kind=AgendaItem.Kind.BOARD_ELECTION)
    Candidacy.objects.bulk_create(
        Candidacy(item=election, member=m, statement="Jeg stiller op.") for m in members[30:50]
    )
    MinutesRevision.objects.bulk_create(
        MinutesRevision(event=portal["board_event"], text=f"Referat, udkast {n}.", author=board)
        for n in range(20)
    )
    last = focus_area.revisions.order_by("-number").first()
    FocusAreaRevision.objects.bulk_create(
        FocusAreaRevision(
            focus_area=focus_area,
            number=last.number + n,
            snapshot=last.snapshot,
            author=board,
            note=f"Rettelse {n}",
        )
        for n in range(1, 21)
    )
    Invitation.objects.bulk_create(
        Invitation(
            email=f"inviteret.{n}@kommune.example",
            token_hash=hash_token(f"scale-invitation-{n}"),
            invited_by=board,
            expires_at=timezone.now() + timedelta(days=14),
        )
        for n in range(150)
    )
    TagFollow.objects.bulk_create(
        [TagFollow(member=member, tag=tag) for tag in Tag.objects.order_by("pk")[:20]],
        ignore_conflicts=True,
    )
    odense = Municipality.objects.get(name="Odense")
    MunicipalityChangeRequest.objects.bulk_create(
        MunicipalityChangeRequest(
            member=m, from_municipality=m.municipality, to_municipality=odense
        )
        for m in members[100:130]
    )


def add_ten_times_the_rows(portal: dict) -> None:
    rng = random.Random(1)
    members = scale_members_create(rng=rng, scale=3)
    scale_circle_memberships_create(members=members)
    scale_contributions_create(rng=rng, scale=1, members=members)
    scale_events_create(rng=rng, scale=1, members=members)
    grow_the_measured_objects(rng=rng, portal=portal, members=members)


def test_no_page_makes_more_queries_than_its_budget_nor_more_when_the_data_grows_tenfold(
    client, portal
):
    small = measure_every_page(client, portal)
    add_ten_times_the_rows(portal)
    large = measure_every_page(client, portal)

    grown = {name: (small[name], large[name]) for name in small if small[name] != large[name]}
    assert not grown, f"query counts or statuses changed with the data (small, large): {grown}"
    assert all(small[name][1] == 200 for name in MUST_RENDER), "a main page did not render"
    over = {
        name: (count, BUDGETS.get(name))
        for name, (count, _) in large.items()
        if name not in BUDGETS or count > BUDGETS[name]
    }
    assert not over, f"over budget (measured, budget): {over}"


def measured_sizes(portal: dict) -> dict[str, int]:
    """How much each measured page has of its own objects to show."""
    member, contribution = portal["member"], portal["contribution"]
    return {
        "comments on the measured contribution": contribution.comments.count(),
        "comments on the measured comment's contribution": Comment.objects.filter(
            contribution=portal["comment"].contribution_id
        ).count(),
        "answers to the member's event": RSVP.objects.filter(event=portal["member_event"]).count(),
        "answers to the board's event": RSVP.objects.filter(event=portal["board_event"]).count(),
        "documents of the member's event": Document.objects.filter(
            event=portal["member_event"]
        ).count(),
        "versions of the measured document": DocumentVersion.objects.filter(
            document=portal["document"]
        ).count(),
        "attendance at the assembly": Attendance.objects.filter(
            assembly=portal["assembly"]
        ).count(),
        "proxies at the assembly": Proxy.objects.filter(assembly=portal["assembly"]).count(),
        "decisions of the assembly": Decision.objects.filter(
            item__assembly=portal["assembly"]
        ).count(),
        "versions of the assembly's minutes": MinutesVersion.objects.filter(
            minutes__assembly=portal["assembly"]
        ).count(),
        "motions of the measured assembly": Motion.objects.filter(
            assembly=portal["assembly"]
        ).count(),
        "candidates of the measured assembly": Candidacy.objects.filter(
            item__assembly=portal["assembly"]
        ).count(),
        "documents of the measured agenda item": portal["agenda_item"].documents.count(),
        "minutes revisions of the board's event": MinutesRevision.objects.filter(
            event=portal["board_event"]
        ).count(),
        "members of the measured circle": CircleMembership.objects.filter(
            circle__slug="hovedstaden"
        ).count(),
        "contributions with the measured tag": TaggedItem.objects.filter(tag=portal["tag"]).count(),
        "contributions in the measured focus area": Contribution.objects.in_focus_area(
            portal["focus_area"]
        ).count(),
        "revisions of the measured focus area": portal["focus_area"].revisions.count(),
        "invitations": Invitation.objects.count(),
        "pending changes of municipality": MunicipalityChangeRequest.objects.pending().count(),
        "members": Member.objects.count(),
        "events in the member's feed": len(personal_feed_events(member=member)),
        "tags the member follows": TagFollow.objects.filter(member=member).count(),
        "the member's contributions": Contribution.objects.filter(author=member).count(),
        "the member's comments": Comment.objects.filter(author=member).count(),
    }


def test_the_growth_reaches_every_object_whose_page_is_measured(portal):
    small = measured_sizes(portal)
    add_ten_times_the_rows(portal)
    large = measured_sizes(portal)
    short = {name: (small[name], large[name]) for name in small if large[name] < 10 * small[name]}
    assert not short, f"grew less than tenfold (small, large): {short}"
    assert all(large.values()), f"nothing to show: {large}"


def test_no_view_is_measured_by_a_method_it_refuses(client, portal):
    refused = {name: status for name, (_, status) in measure_every_page(client, portal).items()}
    assert not {name: status for name, status in refused.items() if status == 405}
