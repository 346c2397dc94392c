"""Bulk contributions, tags and comments for `seed_demo --scale N`: 500·N contributions
with Danish titles and bodies built from phrase lists, most tagged with a focus area's
tags, and 1,500·N comments. Bulk inserts only; see members/scale.py."""

import random
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from circles.models import CircleMembership
from members.models import Member

from .models import Comment, Contribution, FocusArea, GuidingQuestion

CONTRIBUTIONS_PER_SCALE = 500
COMMENTS_PER_SCALE = 1500
BATCH_SIZE = 2000

# Themes: (title subjects, body phrases, tags that belong to no focus area).
THEMES = {
    "velfærd": (
        ["Borgernær velfærd", "Sammenhængende borgerforløb", "Hjemmeplejen", "Ældreplejen"],
        [
            "Vi har samlet indsatsen omkring borgeren i ét team med én fast kontaktperson.",
            "Borgerne oplever færre overdragelser og en hurtigere afklaring.",
            "Medarbejderne fortæller om mere tid til det nære arbejde.",
        ],
        ["Ældrepleje", "Sundhed"],
    ),
    "frisættelse": (
        ["Frisættelse af dagtilbud", "Frikommuneforsøg", "Færre regler i skolen"],
        [
            "Vi har givet institutionerne frihed fra en række lokale regler og krav.",
            "Dokumentationen er skåret ned, og lederne har fået større råderum.",
            "Det kræver en klar aftale med byrådet om, hvilke forskelle vi accepterer.",
        ],
        ["Skole", "Dagtilbud"],
    ),
    "rekruttering": (
        ["Rekruttering af sosu-assistenter", "Fastholdelse af pædagoger", "Lederrekruttering"],
        [
            "Vi tilbyder lønnet uddannelse til voksne, og optaget er steget markant.",
            "Et mindre ledelsesspænd har sænket sygefraværet og vikarudgifterne.",
            "Vi samarbejder med uddannelsesinstitutionerne om praktikpladser.",
        ],
        ["Ledelse", "Arbejdsmiljø"],
    ),
    "civilsamfund": (
        ["Partnerskaber med foreninger", "Samarbejdet med civilsamfundet", "Lokale fællesskaber"],
        [
            "Sammen med de lokale foreninger har vi bygget et netværk af besøgsvenner.",
            "En fast skabelon for partnerskabsaftaler har gjort det lettere at komme i gang.",
            "Vi har lavet en tjekliste om ligebehandling, før et partnerskab indgås.",
        ],
        ["Partnerskaber", "Borgerinddragelse"],
    ),
    "frivillige": (
        ["Frivillige i ældreplejen", "Frivillige som bindeled", "Frivilligcentrets rolle"],
        [
            "De frivillige står for fællesskabet, kommunen for koordinering og kurser.",
            "Tavshedspligt og klare roller har været afgørende for de frivillige.",
            "Flere frivillige melder sig, når opgaven er konkret og tidsafgrænset.",
        ],
        ["Ensomhed", "Foreningsliv"],
    ),
    "digitalisering": (
        ["Skærmbesøg i hjemmeplejen", "Kunstig intelligens i sagsbehandlingen", "Digital post"],
        [
            "Skærmbesøg til medicinpåmindelser frigør tid til de besøg, hvor nærvær betyder mest.",
            "Vi afprøver sprogmodeller til udkast i sagsbehandlingen, altid med en medarbejder.",
            "Borgeren bliver spurgt hvert halve år, om løsningen stadig passer.",
        ],
        ["Digitalisering", "Kunstig intelligens", "Velfærdsteknologi"],
    ),
}
ANGLES = [
    "erfaringer fra {place}",
    "tre lærdomme fra {place}",
    "sådan gjorde vi i {place}",
    "hvad virkede i {place}",
    "et år efter i {place}",
    "dilemmaer i {place}",
]
CLOSINGS = [
    "Vores vigtigste lærdom: start småt, og mål på det, borgerne mærker.",
    "Vi deler gerne materialet med andre kommuner i kredsen.",
    "Næste skridt er at udbrede erfaringerne til resten af organisationen.",
    "Det har krævet tålmodighed, men resultaterne taler for sig selv.",
]
COMMENTS = [
    "Tak for delingen. Hvordan har I fulgt op på kvaliteten undervejs?",
    "Det vil vi gerne høre mere om i vores kreds.",
    "Hvordan fik I politikerne med på idéen?",
    "Vi har gode erfaringer med noget lignende, jeg sender gerne vores materiale.",
    "Hvad kostede det, og hvordan blev det finansieret?",
    "Spændende! Hvordan reagerede de faglige organisationer?",
    "Har I målt effekten på sygefraværet?",
    "Det minder om vores forsøg med frivillige, lad os tage en snak på næste kredsmøde.",
]


def _tags_by_name(names: set[str]) -> dict[str, Tag]:
    """The tags with these names, created when missing (case-insensitively, as taggit)."""
    tags = {}
    for name in sorted(names):
        tag = Tag.objects.filter(name__iexact=name).first() or Tag.objects.create(name=name)
        tags[name] = tag
    return tags


def scale_contributions_create(
    *, rng: random.Random, scale: int, members: list[Member]
) -> list[Contribution]:
    """Create 500·scale published contributions over two years, with tags and comments."""
    areas = list(FocusArea.objects.prefetch_related("tags").order_by("period", "number"))
    area_tags = {area.pk: [t.name for t in area.tags.all()] for area in areas}
    questions = {}
    for question in GuidingQuestion.objects.current().order_by("pk"):
        questions.setdefault(question.focus_area_id, []).append(question.pk)
    free_names = {name for theme in THEMES.values() for name in theme[2]}
    tags = _tags_by_name(free_names | {n for names in area_tags.values() for n in names})
    circle_of = dict(
        CircleMembership.objects.filter(member__in=members).values_list("member_id", "circle_id")
    )
    now = timezone.now()
    two_years = 2 * 365 * 24 * 60
    contributions, tag_names = [], []
    for _ in range(CONTRIBUTIONS_PER_SCALE * scale):
        author = rng.choice(members)
        subjects, phrases, free_tags = THEMES[rng.choice(sorted(THEMES))]
        place = author.municipality.name if author.municipality else "kommunen"
        title = f"{rng.choice(subjects)}: {rng.choice(ANGLES).format(place=place)}"
        body = "\n\n".join([*rng.sample(phrases, 2), rng.choice(CLOSINGS)])
        roll = rng.random()
        visibility = (
            Contribution.Visibility.MEMBERS
            if roll < 0.85
            else Contribution.Visibility.CIRCLE
            if roll < 0.95
            else Contribution.Visibility.BOARD
        )
        names = set(rng.sample(free_tags, rng.randint(0, 1)))
        question_id = None
        if rng.random() < 0.85:  # most belong to a focus area, through its tags
            area = rng.choice(areas)
            names.add(rng.choice(area_tags[area.pk]))
            if area.pk in questions and rng.random() < 0.3:
                question_id = rng.choice(questions[area.pk])
        if not names:
            names.add(rng.choice(free_tags))
        published_at = now - timedelta(minutes=rng.randint(0, two_years))
        contributions.append(
            Contribution(
                author=author,
                title=title[:200],
                body=body,
                guiding_question_id=question_id,
                visibility=visibility,
                circle_id=circle_of[author.pk]
                if visibility == Contribution.Visibility.CIRCLE
                else None,
                status=Contribution.Status.PUBLISHED,
                created_at=published_at,
                published_at=published_at,
            )
        )
        tag_names.append(sorted(names))
    Contribution.objects.bulk_create(contributions, batch_size=BATCH_SIZE)
    content_type = ContentType.objects.get_for_model(Contribution)
    TaggedItem.objects.bulk_create(
        [
            TaggedItem(tag=tags[name], content_type=content_type, object_id=contribution.pk)
            for contribution, names in zip(contributions, tag_names, strict=True)
            for name in names
        ],
        batch_size=BATCH_SIZE,
    )
    comments = []
    for _ in range(COMMENTS_PER_SCALE * scale):
        contribution = rng.choice(contributions)
        created_at = contribution.published_at + timedelta(minutes=rng.randint(5, 60 * 24 * 30))
        comments.append(
            Comment(
                contribution=contribution,
                author=rng.choice(members),
                body=rng.choice(COMMENTS),
                created_at=min(created_at, now),
            )
        )
    Comment.objects.bulk_create(comments, batch_size=BATCH_SIZE)
    return contributions
