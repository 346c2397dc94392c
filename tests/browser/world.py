"""The world the every-page tests browse: the demo seed (members/demo.py and the other
apps' seeders) plus what the seed leaves out, so that every page with a parameter has
a real object: a cancelled meeting, a meeting with minutes and a document in two
versions, a proxy, an invitation, a municipality change waiting for the board, a
deputy, a second email address waiting for confirmation, two-factor authenticators
(an app, recovery codes and a security key) and a row of every model the admin lists."""

import hashlib
import json
from dataclasses import dataclass
from io import StringIO

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.webauthn.internal.auth import WebAuthn
from django.contrib.admin.utils import quote
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from assemblies import services as assembly_services
from assemblies.demo import DEMO_TITLE, LAST_YEAR_TITLE
from assemblies.models import AgendaItem, Assembly, Decision, Election
from documents import services as document_services
from events import services as event_services
from events.models import Event
from focusareas import services as focusarea_services
from focusareas.models import (
    Comment,
    Contribution,
    ContributionMailDelivery,
    DigestDelivery,
    FocusArea,
    NotificationSetting,
)
from members.demo import DEMO_DOMAIN, DEMO_PASSWORD
from members.models import Member, Municipality
from members.services import municipality_change_request
from tests.conftest import give_mfa
from tests.documents.factories import make_document, upload
from tests.events.factories import EventPreferencesFactory
from tests.members.factories import issue_invitation, make_deputy

PASSWORD = DEMO_PASSWORD


def demo_member(local: str) -> Member:
    return Member.objects.get(email=f"{local}@{DEMO_DOMAIN}")


def security_key_credential() -> dict:
    """A WebAuthn registration response as a browser returns it ("none" attestation),
    made here with a fresh key pair: the test server is plain HTTP, where no browser
    registers a real key, and allauth reads the stored credential on every page that
    offers the key."""
    import os

    from cryptography.hazmat.primitives.asymmetric import ec
    from fido2.cose import ES256
    from fido2.utils import websafe_encode
    from fido2.webauthn import (
        Aaguid,
        AttestationObject,
        AttestedCredentialData,
        AuthenticatorData,
    )

    credential_id = os.urandom(16)
    public_key = ES256.from_cryptography_key(ec.generate_private_key(ec.SECP256R1()).public_key())
    authenticator_data = AuthenticatorData.create(
        hashlib.sha256(b"localhost").digest(),
        AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.AT,
        0,
        AttestedCredentialData.create(Aaguid.NONE, credential_id, public_key),
    )
    client_data = {
        "type": "webauthn.create",
        "challenge": websafe_encode(os.urandom(16)),
        "origin": "http://localhost",
    }
    return {
        "id": websafe_encode(credential_id),
        "rawId": websafe_encode(credential_id),
        "type": "public-key",
        "response": {
            "attestationObject": websafe_encode(
                bytes(AttestationObject.create("none", authenticator_data, {}))
            ),
            "clientDataJSON": websafe_encode(json.dumps(client_data).encode()),
        },
        "clientExtensionResults": {"credProps": {"rk": False}},
    }


@dataclass
class World:
    admin: Member
    board: Member
    lead: Member
    member: Member
    other: Member
    meeting: Event
    cancelled: Event
    assembly: Assembly
    last_year: Assembly
    contribution: Contribution
    comment: Comment
    focus_area: FocusArea
    tag: Tag
    meeting_document_id: int
    assembly_document_id: int
    invitation_token: str
    security_key_id: int
    password_reset_path: str
    email_confirmation_path: str


def build_world() -> World:
    """The demo seed and the rest, through the services where there is one."""
    call_command("seed_demo", stdout=StringIO())
    admin = demo_member("anne.admin")
    board = demo_member("birgitte.holm")
    lead = demo_member("soeren.kragh")  # leads Hovedstaden
    member = demo_member("anders.bech")  # Hovedstaden; wrote a contribution and a comment
    other = demo_member("lone.dahl")

    for person in (admin, board):
        give_mfa(person)
        RecoveryCodes.activate(person)
    key = WebAuthn.add(board, "Nøgle på nøgleringen", security_key_credential()).instance
    # A member without a password of their own (made in the admin, say): allauth offers
    # to set one.
    lead.set_unusable_password()
    lead.save(update_fields=["password"])

    meeting = Event.objects.get(title="Kredsmøde i Hovedstaden: rekruttering af ledere")
    event_services.event_minutes_save(
        actor=lead, event=meeting, minutes="1. Velkomst\n\nVi drøftede **rekruttering**."
    )
    meeting_document = make_document(event=meeting, actor=lead, title="Oplæg om rekruttering")
    cancelled = Event.objects.get(title="Kredsmøde i Hovedstaden: budget 2027")
    event_services.event_cancel(actor=None, event=cancelled)

    assembly = Assembly.objects.get(event__title=DEMO_TITLE)
    last_year = Assembly.objects.get(event__title=LAST_YEAR_TITLE)
    accounts = assembly.items.get(kind=AgendaItem.Kind.ACCOUNTS).documents.get()
    document_services.document_replace(
        actor=None, document=accounts, file=upload("aarsregnskab-2026-revideret.pdf")
    )
    assembly_services.proxy_give(assembly=assembly, giver=other, holder=member)
    chair = Decision.objects.filter(item__assembly=last_year).order_by("pk").first()
    Election.objects.create(
        decision=chair, member=lead, name=lead.get_full_name(), role=Election.Role.ASSEMBLY_CHAIR
    )

    contribution = Contribution.objects.filter(author=member).order_by("pk").first()
    comment = Comment.objects.filter(author=member).order_by("pk").first()
    focus_area = FocusArea.objects.order_by("pk").first()
    tag = contribution.tags.order_by("name").first()
    focusarea_services.tag_follow(member=member, tag=tag, follow=True)
    NotificationSetting.objects.update_or_create(
        member=member, defaults={"frequency": NotificationSetting.Frequency.choices[0][0]}
    )
    ContributionMailDelivery.objects.create(member=other, contribution=contribution)
    iso_year, iso_week, _ = timezone.localdate().isocalendar()
    DigestDelivery.objects.create(member=other, iso_year=iso_year, iso_week=iso_week)
    EventPreferencesFactory(member=member)

    invitation = issue_invitation(email="ny.direktoer@kommune.example", invited_by=board)
    municipality_change_request(
        member=other, to_municipality=Municipality.objects.get(name="Gentofte")
    )
    make_deputy(member, first_name="Mia", last_name="Holt", email="mia.holt@kommune.example")
    # Not the member's: allauth sets up no two-factor for an account with an unconfirmed
    # address, and the member's pages include setting it up.
    waiting = EmailAddress.objects.create(
        user=other, email="lone.dahl@privat.example", verified=False, primary=False
    )
    return World(
        admin=admin,
        board=board,
        lead=lead,
        member=member,
        other=other,
        meeting=meeting,
        cancelled=cancelled,
        assembly=assembly,
        last_year=last_year,
        contribution=contribution,
        comment=comment,
        focus_area=focus_area,
        tag=tag,
        meeting_document_id=meeting_document.pk,
        assembly_document_id=accounts.pk,
        invitation_token=invitation.token,
        security_key_id=key.pk,
        password_reset_path=reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(other),
                "key": default_token_generator.make_token(other),
            },
        ),
        email_confirmation_path=reverse(
            "account_confirm_email", args=[EmailConfirmationHMAC(waiting).key]
        ),
    )


def admin_pages(world: World) -> list[tuple[str, str]]:
    """The admin's index, one app's index, and the list and the change page of every
    registered model (the change page of its first row), with the admin's own password
    pages, and the member admin's password and add pages."""
    from django.contrib import admin as django_admin

    pages = [
        ("admin-index", reverse("admin:index")),
        ("admin-app-members", reverse("admin:app_list", args=["members"])),
        ("admin-password-change", reverse("admin:password_change")),
        ("admin-password-change-done", reverse("admin:password_change_done")),
        # The member admin is Django's UserAdmin: a page that sets a password, and an add
        # form of its own (email and password first), unlike the other add pages.
        (
            "admin-member-password",
            reverse("admin:auth_user_password_change", args=[world.member.pk]),
        ),
        ("admin-member-add", reverse("admin:members_member_add")),
    ]
    missing = []
    for model in sorted(django_admin.site._registry, key=lambda model: model._meta.label):
        info = f"{model._meta.app_label}_{model._meta.model_name}"
        first = model._default_manager.order_by("pk").first()
        if first is None:
            missing.append(model._meta.label)
            continue
        pages.append((f"admin-{info}-list", reverse(f"admin:{info}_changelist")))
        pages.append(
            (f"admin-{info}-change", reverse(f"admin:{info}_change", args=[quote(first.pk)]))
        )
    assert not missing, f"the world has no row of {missing} for its admin change page"
    return pages
