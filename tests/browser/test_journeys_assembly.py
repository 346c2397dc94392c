"""The association's year in a real browser: the board sends the notice of the general
assembly; a member submits a motion and another gives a proxy; on the day the board
checks in a member who also holds a proxy and a deputy standing in for their member,
records a decision, writes the minutes from the draft, approves and publishes them; a
member reads them. axe at phone and desktop width on every page."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from assemblies.models import Assembly, Decision, Election, Motion, Proxy
from assemblies.selectors import assembly_votes
from core.outbox import outbox_send_due
from events import services as event_services
from events.models import Event
from members.models import Municipality
from tests.browser.test_journeys_members import log_in, submit
from tests.conftest import TOTP_SECRET, give_mfa
from tests.members.factories import PASSWORD, BoardMemberFactory, MemberFactory, make_deputy

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _member(name: str, municipality: str, **kwargs):
    first, last = name.split(" ", 1)
    return MemberFactory(
        first_name=first,
        last_name=last,
        municipality=Municipality.objects.get(name=municipality),
        **kwargs,
    )


def test_the_board_runs_the_general_assembly_from_notice_to_published_minutes(
    new_page, check_page, totp_code
):
    board = BoardMemberFactory(first_name="Birgitte", last_name="Holm")
    give_mfa(board)
    anders = _member("Anders Bech", "Gentofte")
    lone = _member("Lone Dahl", "Aarhus")
    karen = _member("Karen Holt", "Odense")
    dorte = make_deputy(karen, first_name="Dorte", last_name="Dam")
    starts = timezone.now() + timedelta(days=30)
    event = event_services.event_create(
        actor=board,
        organiser=board,
        kind=Event.Kind.GENERAL_ASSEMBLY,
        title="KOMDIRs generalforsamling",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        location="Christiansborg",
    )
    assembly = Assembly.objects.get(event=event)
    base = f"/arrangementer/{event.pk}"

    board_page = new_page()
    # The board confirms what asks for it (a new draft, the approval that freezes).
    board_page.on("dialog", lambda dialog: dialog.accept())
    log_in(board_page, check_page, board.email, PASSWORD, label="login-board")
    board_page.fill("input[name='code']", totp_code(TOTP_SECRET))
    submit(board_page, "code")
    board_page.wait_for_load_state()
    board_page.goto(f"{base}/dagsorden/")
    check_page(board_page, "agenda-board")
    assert "Valg af dirigent" in board_page.locator("main").inner_text()
    board_page.goto(f"{base}/indkaldelse/")
    check_page(board_page, "notice")
    mail.outbox.clear()
    board_page.get_by_role("button", name="Send indkaldelsen").click()
    board_page.wait_for_load_state()
    check_page(board_page, "notice-sent")
    outbox_send_due()
    assembly.refresh_from_db()
    assert assembly.notice_sent_at is not None
    told = {message.to[0] for message in mail.outbox}
    assert {anders.email, lone.email, karen.email} <= told and dorte.email not in told

    anders_page = new_page()
    log_in(anders_page, check_page, anders.email, PASSWORD, label="login-anders")
    anders_page.goto(f"{base}/forslag/ny/")
    check_page(anders_page, "motion-new")
    anders_page.fill("input[name='title']", "Kontingentet fastholdes")
    anders_page.fill("textarea[name='text']", "Kontingentet fastholdes for 2027.")
    anders_page.fill("textarea[name='reasoning']", "Foreningens økonomi er sund.")
    anders_page.get_by_role("button", name="Indsend forslaget").click()
    anders_page.wait_for_load_state()
    check_page(anders_page, "motions-own")
    assert Motion.objects.filter(assembly=assembly, proposer=anders).exists()

    lone_page = new_page()
    log_in(lone_page, check_page, lone.email, PASSWORD, label="login-lone")
    lone_page.goto(f"{base}/fuldmagt/")
    check_page(lone_page, "proxy")
    lone_page.select_option("select[name='holder']", str(anders.pk))
    lone_page.get_by_role("button", name="Giv fuldmagt").click()
    lone_page.wait_for_load_state()
    check_page(lone_page, "proxy-given")
    assert Proxy.objects.get(assembly=assembly, withdrawn_at__isnull=True).holder == anders

    # The deadline for motions passes; the board publishes them. Then it is the day.
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() + timedelta(days=10), ends_at=timezone.now() + timedelta(days=11)
    )
    board_page.goto(f"{base}/forslag/")
    board_page.get_by_role("button", name="Offentliggør forslagene").click()
    board_page.wait_for_load_state()
    check_page(board_page, "motions-published")
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(minutes=10),
        ends_at=timezone.now() + timedelta(hours=3),
    )

    board_page.goto(f"{base}/fremmoede/")
    check_page(board_page, "attendance")
    for person in (anders, dorte):
        board_page.get_by_role("button", name=f"Tjek ind {person.get_full_name()}").click()
        board_page.wait_for_load_state("networkidle")
    check_page(board_page, "attendance-checked-in")
    votes = assembly_votes(assembly=assembly)
    carried = {row.municipality.name: row.how for row in votes.municipalities if row.counts}
    assert carried == {"Gentofte": "present", "Aarhus": "proxy", "Odense": "deputy"}, carried

    board_page.goto(f"{base}/beslutninger/")
    check_page(board_page, "decisions")
    board_page.select_option("select[name='decision-item']", label="3. Regnskab")
    board_page.select_option("select[name='decision-outcome']", "adopted")
    board_page.fill("input[name='decision-votes_for']", "3")
    board_page.get_by_role("button", name="Registrér beslutningen").click()
    board_page.wait_for_load_state()
    check_page(board_page, "decision-recorded")
    assert Decision.objects.filter(item__assembly=assembly, outcome="adopted").exists()
    board_page.select_option("select[name='decision-item']", label="6. Valg til bestyrelsen")
    board_page.select_option("select[name='decision-outcome']", "elected")
    board_page.get_by_role("button", name="Registrér beslutningen").click()
    board_page.wait_for_load_state()
    board_page.select_option(
        "select[name='election-decision']", label="6. Valg til bestyrelsen: Valgt"
    )
    board_page.select_option("select[name='election-role']", "board_member")
    board_page.select_option("select[name='election-member']", str(lone.pk))
    board_page.get_by_role("button", name="Registrér valget").click()
    board_page.wait_for_load_state()
    check_page(board_page, "election-recorded")
    assert Election.objects.get(decision__item__assembly=assembly).member == lone

    board_page.goto(f"{base}/referat/")
    check_page(board_page, "minutes-empty")
    write_draft = "Skriv et udkast ud fra dagsorden og beslutninger"
    board_page.get_by_role("button", name=write_draft).click()
    board_page.wait_for_load_state()
    draft = board_page.input_value("textarea[name='text']")
    assert "Regnskab" in draft
    board_page.fill("textarea[name='text']", draft + "\n\nMødet sluttede kl. 16.")
    board_page.get_by_role("button", name="Gem referatet").click()
    board_page.wait_for_load_state()
    check_page(board_page, "minutes-draft")
    board_page.get_by_role("button", name="Godkend referatet").click()
    board_page.wait_for_load_state()
    board_page.get_by_role("button", name="Offentliggør for medlemmerne").click()
    board_page.wait_for_load_state()
    check_page(board_page, "minutes-published")

    anders_page.goto(f"{base}/referat/")
    check_page(anders_page, "minutes-member")
    assert "Mødet sluttede kl. 16." in anders_page.locator("main").inner_text()
    anders_page.goto("/generalforsamling/arkiv/")
    check_page(anders_page, "assembly-archive")
    anders_page.goto("/generalforsamling/beslutninger/?q=Regnskab")
    check_page(anders_page, "decision-search")
    assert "Regnskab" in anders_page.locator("main").inner_text()
