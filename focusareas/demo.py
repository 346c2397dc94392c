"""Demo contributions and comments for `make run`: realistic Danish text by the demo
members of members/demo.py, under each focus area. Deterministic and idempotent."""

from dataclasses import dataclass, field

from django.db import transaction

from circles.models import Circle
from members.demo import DEMO_DOMAIN
from members.models import Member

from . import services
from .models import Comment, Contribution, FocusArea, GuidingQuestion


@dataclass(frozen=True)
class DemoContribution:
    author: str  # local part of the demo email address
    title: str
    body: str
    focus_area: str  # slug
    question: int | None  # position of the guiding question it answers, or None
    tags: list[str]
    visibility: str = Contribution.Visibility.MEMBERS
    comments: list[tuple[str, str]] = field(default_factory=list)


CONTRIBUTIONS = [
    DemoContribution(
        author="anders.bech",
        title="Frisættelse af ældreplejen: tre lærdomme fra Frederiksberg",
        body=(
            "Vi har i et år givet tre plejecentre frihed fra en stribe lokale regler.\n\n"
            "**Det virkede:** kortere dokumentation og faste teams omkring borgeren.\n\n"
            "**Det var svært:** at fastholde ensartet kvalitet på tværs af centrene, og at "
            "forklare byrådet, hvorfor serviceniveauet ikke længere er ens alle steder.\n\n"
            "Vores vigtigste lærdom: frisættelse kræver en tydelig aftale med politikerne om, "
            "hvilke balancer vi accepterer."
        ),
        focus_area="borgernaer-velfaerd-og-frisaettelse",
        question=2,
        tags=["Frisættelse", "Ældrepleje"],
        comments=[
            (
                "lone.dahl",
                "Tak for delingen. Hvordan har I fulgt op på kvaliteten undervejs?",
            ),
            (
                "anders.bech",
                "Med korte dialogmøder hver tredje måned i stedet for de faste indberetninger.",
            ),
        ],
    ),
    DemoContribution(
        author="pia.thygesen",
        title="Borgermøder om serviceniveauet i Kolding",
        body=(
            "Inden budgetforhandlingerne holdt vi fire borgermøder om, hvad kommunen skal "
            "levere, og hvad vi kan løse sammen med borgerne.\n\n"
            "Møderne gav politikerne et langt bedre grundlag for prioriteringerne, og "
            "deltagerne var langt bredere end ved de traditionelle høringer."
        ),
        focus_area="borgernaer-velfaerd-og-frisaettelse",
        question=1,
        tags=["Lokaldemokrati", "Borgernær velfærd"],
    ),
    DemoContribution(
        author="jens.overgaard",
        title="Sammenhængende borgerforløb på tværs af forvaltninger",
        body=(
            "I Aalborg har vi samlet sagsbehandlingen for borgere med komplekse sager i ét "
            "team med én fast kontaktperson.\n\n- færre overdragelser\n- hurtigere afklaring\n"
            "- mere tilfredse medarbejdere"
        ),
        focus_area="borgernaer-velfaerd-og-frisaettelse",
        question=0,
        tags=["Borgernær velfærd"],
    ),
    DemoContribution(
        author="morten.skov",
        title="Rekruttering af social- og sundhedsassistenter med lønnet uddannelse",
        body=(
            "Esbjerg tilbyder voksne over 25 år fuld løn under uddannelsen til social- og "
            "sundhedsassistent. Optaget er steget med 40 procent på to år, og frafaldet er "
            "faldet markant."
        ),
        focus_area="faerre-ressourcer-flere-opgaver",
        question=0,
        tags=["Rekruttering", "Arbejdskraft"],
        comments=[
            ("rasmus.winther", "Det vil vi gerne høre mere om i Sydkredsen."),
        ],
    ),
    DemoContribution(
        author="gitte.noergaard",
        title="Skærmbesøg i hjemmeplejen: uden at miste nærværet",
        body=(
            "Vi har indført skærmbesøg til medicinpåmindelser hos borgere, der selv ønsker "
            "det. Det frigør tid til de besøg, hvor nærvær betyder mest.\n\n"
            "Vi spørger borgeren hvert halve år, om løsningen stadig passer."
        ),
        focus_area="faerre-ressourcer-flere-opgaver",
        question=1,
        tags=["Teknologi", "Velfærdsteknologi"],
    ),
    DemoContribution(
        author="klaus.ebbesen",
        title="Ledelsesspænd og trivsel: erfaringer fra en omorganisering",
        body=(
            "Da vi mindskede ledelsesspændet i dagtilbud, faldt sygefraværet, og flere "
            "pædagoger blev. Det kostede flere ledere, men tjente sig hjem på vikarudgifterne."
        ),
        focus_area="faerre-ressourcer-flere-opgaver",
        question=2,
        tags=["Rekruttering", "Ledelse"],
        visibility=Contribution.Visibility.CIRCLE,
    ),
    DemoContribution(
        author="hanne.vestergaard",
        title="Frivillige som bindeled til ensomme ældre på Bornholm",
        body=(
            "Sammen med de lokale foreninger har vi bygget et netværk af frivillige "
            "besøgsvenner. Kommunen står for koordinering og kurser, foreningerne for "
            "fællesskabet.\n\nLæs mere hos [Ældre Sagen](https://www.aeldresagen.dk)."
        ),
        focus_area="civilsamfund",
        question=0,
        tags=["Frivillighed", "Foreninger"],
        comments=[
            (
                "susanne.riis",
                "Hvordan har I håndteret tavshedspligten for de frivillige?",
            ),
        ],
    ),
    DemoContribution(
        author="susanne.riis",
        title="Dilemmaer i samarbejdet med civilsamfundet",
        body=(
            "Når foreninger løser opgaver, vi før løste selv, opstår spørgsmål om "
            "ligebehandling og retssikkerhed. Vi har lavet en enkel tjekliste, som "
            "forvaltningerne bruger, før et nyt partnerskab indgås."
        ),
        focus_area="civilsamfund",
        question=1,
        tags=["Civilsamfund"],
    ),
    DemoContribution(
        author="niels.kjaer",
        title="En model for partnerskaber med lokale foreninger",
        body=(
            "Roskilde bruger en fast skabelon for partnerskabsaftaler: formål, roller, "
            "økonomi og en årlig evaluering. Den har gjort det lettere for både "
            "foreninger og forvaltninger at komme i gang."
        ),
        focus_area="civilsamfund",
        question=2,
        tags=["Civilsamfund", "Partnerskaber"],
    ),
]


# Demo members who follow focus areas, so that their front page shows what is new.
FOLLOWERS = {
    "anders.bech": ["civilsamfund", "faerre-ressourcer-flere-opgaver"],
    "birgitte.holm": [
        "borgernaer-velfaerd-og-frisaettelse",
        "faerre-ressourcer-flere-opgaver",
        "civilsamfund",
    ],
}


def _member(local: str) -> Member | None:
    return Member.objects.filter(email=f"{local}@{DEMO_DOMAIN}").first()


@transaction.atomic
def seed_contributions() -> int:
    """Create the demo contributions and comments once; a second run changes nothing.
    Returns how many contributions were created."""
    created = 0
    for demo in CONTRIBUTIONS:
        author = _member(demo.author)
        area = FocusArea.objects.filter(slug=demo.focus_area).first()
        if author is None or area is None:
            continue
        if Contribution.objects.filter(author=author, title=demo.title).exists():
            continue
        questions = list(GuidingQuestion.objects.current().filter(focus_area=area))
        question = questions[demo.question] if demo.question is not None else None
        circle = (
            Circle.objects.filter(memberships__member=author).order_by("pk").first()
            if demo.visibility == Contribution.Visibility.CIRCLE
            else None
        )
        contribution = services.contribution_create(
            author=author,
            title=demo.title,
            body=demo.body,
            tags=demo.tags,
            visibility=demo.visibility,
            circle=circle,
            guiding_question=question,
            publish=True,
            # Demo data is not news: nobody is mailed about it.
            notify_followers=False,
        )
        created += 1
        for commenter_local, text in demo.comments:
            commenter = _member(commenter_local)
            if (
                commenter is not None
                and not Comment.objects.filter(
                    contribution=contribution, author=commenter, body=text
                ).exists()
            ):
                services.comment_create(contribution=contribution, author=commenter, body=text)
    for local, slugs in FOLLOWERS.items():
        follower = _member(local)
        for area in FocusArea.objects.filter(slug__in=slugs) if follower else []:
            services.focusarea_follow(member=follower, focus_area=area, follow=True)
    return created
