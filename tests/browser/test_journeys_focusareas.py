"""Focus areas and contributions in a real browser: a member shares an experience and
finds it under the question it answers; a board member edits a page and restores it."""

import re

import pytest

from focusareas.models import Contribution, FocusArea
from tests.browser.test_journeys_members import log_in, submit
from tests.conftest import TOTP_SECRET, give_mfa
from tests.members.factories import PASSWORD, BoardMemberFactory, MemberFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_member_shares_an_experience_and_finds_it_under_the_question_it_answers(
    new_page, check_page
):
    member = MemberFactory(first_name="Lone", last_name="Dahl")
    area = FocusArea.objects.get(slug="civilsamfund")
    question = area.questions.current().order_by("ordering").first()

    visitor = new_page()
    visitor.goto("/fokusomraader/")
    check_page(visitor, "focus-areas-public")
    visitor.goto(area.get_absolute_url())
    check_page(visitor, "focus-area-public")
    assert question.text in visitor.locator("main").inner_text()

    page = new_page()
    log_in(page, check_page, member.email, PASSWORD)
    page.goto(area.get_absolute_url())
    check_page(page, "focus-area-member")
    page.get_by_role("link", name="Del en erfaring om dette spørgsmål").first.click()
    page.wait_for_load_state()
    check_page(page, "contribution-new")
    page.fill("input[name='title']", "Frivilligcentret i Helsingør")
    page.fill("textarea[name='body']", "Vi samlede **alle** foreninger i ét hus.")
    assert page.input_value("select[name='guiding_question']") == str(question.pk)
    page.fill("input[name='tags']", "Friv")
    suggestion = page.locator("[data-tag-suggestion='Frivillighed']")
    suggestion.wait_for()
    check_page(page, "contribution-new-suggestions")
    suggestion.click()
    assert page.input_value("input[name='tags']").startswith("Frivillighed")
    page.get_by_role("button", name="Forhåndsvis").click()
    page.wait_for_load_state()
    check_page(page, "contribution-preview")
    assert page.locator(".preview strong").inner_text() == "alle"
    assert not Contribution.objects.exists(), "a preview saves nothing"
    page.get_by_role("button", name="Offentliggør").click()
    page.wait_for_load_state()
    check_page(page, "contribution-detail")
    contribution = Contribution.objects.get(title="Frivilligcentret i Helsingør")
    assert page.url.endswith(contribution.get_absolute_url())

    page.fill("textarea[name='body']", "Godt initiativ!")
    submit(page, "body")
    page.wait_for_load_state()
    assert "Godt initiativ!" in page.locator("#kommentarer").inner_text()

    page.goto(area.get_absolute_url())
    check_page(page, "focus-area-with-contribution")
    section = page.locator(f"#question-{question.pk}").locator("xpath=..")
    assert "Frivilligcentret i Helsingør" in section.inner_text()

    page.goto("/bidrag/")
    check_page(page, "contributions")
    page.fill("input[name='q']", "Frivilligcentret")
    page.wait_for_timeout(600)
    page.wait_for_load_state("networkidle")
    assert "Frivilligcentret i Helsingør" in page.locator("#contribution-results").inner_text()
    page.goto("/tags/frivillighed/")
    check_page(page, "tag")
    page.goto("/profil/notifikationer/")
    check_page(page, "notifications")

    # Editing keeps it published; taking it back to a draft is its own, confirmed step.
    page.goto(f"/bidrag/{contribution.pk}/rediger/")
    check_page(page, "contribution-edit")
    assert page.get_by_role("button", name="Gem som kladde").count() == 0
    page.goto(contribution.get_absolute_url())
    page.get_by_role("link", name="Træk tilbage til kladde").click()
    page.wait_for_load_state()
    check_page(page, "contribution-withdraw")
    page.get_by_role("button", name="Træk tilbage til kladde").click()
    page.wait_for_load_state()
    contribution.refresh_from_db()
    assert not contribution.is_published

    visitor.goto(area.get_absolute_url())
    assert "Frivilligcentret" not in visitor.content()
    assert "Lone Dahl" not in visitor.content()


def test_a_board_member_edits_a_focus_area_page_then_restores_the_earlier_revision(
    page, check_page, totp_code
):
    board = BoardMemberFactory(first_name="Birgitte", last_name="Holm")
    give_mfa(board)
    area = FocusArea.objects.get(slug="civilsamfund")
    log_in(page, check_page, board.email, PASSWORD)
    page.fill("input[name='code']", totp_code(TOTP_SECRET))
    submit(page, "code")
    page.wait_for_load_state()

    page.goto(area.get_absolute_url())
    page.get_by_role("link", name="Rediger siden").click()
    page.wait_for_load_state()
    check_page(page, "focus-area-edit")
    page.fill("input[name='title']", "Civilsamfund og fællesskaber")
    page.fill(
        "textarea[name='questions-3-text']", "Hvordan måler vi værdien af frivilligt arbejde?"
    )
    page.fill("input[name='note']", "Nyt spørgsmål")
    page.get_by_role("button", name="Forhåndsvis").click()
    page.wait_for_load_state()
    check_page(page, "focus-area-preview")
    assert "Hvordan måler vi værdien" in page.locator(".preview").inner_text()
    page.get_by_role("button", name="Gem", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Civilsamfund og fællesskaber"
    assert "Hvordan måler vi værdien af frivilligt arbejde?" in page.locator("main").inner_text()

    page.get_by_role("link", name="Historik").first.click()
    page.wait_for_load_state()
    check_page(page, "focus-area-history")
    # The title's difference, word by word: the words added are marked as added.
    added = page.locator(".diff").first.locator("ins.diff-add").first.inner_text()
    assert "og fællesskaber" in added and "@@" not in page.locator("main").inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Gendan version 1").click()
    page.wait_for_load_state()
    check_page(page, "focus-area-restored")
    assert re.search(r"Gendannet fra version 1", page.locator("main").inner_text())
    area.refresh_from_db()
    assert area.title == "Civilsamfund"
    assert list(area.revisions.order_by("number").values_list("number", flat=True)) == [1, 2, 3]
    page.goto(area.get_absolute_url())
    assert "Hvordan måler vi værdien" not in page.locator("main").inner_text()
