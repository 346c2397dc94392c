"""The association's purpose and the focus areas of 2023-2025 with their guiding
questions, word for word from "Fokusområder 2023-2025" (only the PDF's line breaks
are undone)."""

from django.db import migrations
from django.utils import timezone

PURPOSE = """Foreningens formål som beskrevet i vedtægterne er:

KOMDIR er et forum for kommunale topchefer, som ønsker en kvalificeret platform for dialog og videndeling om det overordnede og tværgående strategiske lederskab samt om den kommunale topleders udvikling, udfordringer og faglighed.

KOMDIR ønsker at optræde som en konstruktiv meningsdanner, der deltager i den offentlige debat om kommunernes rolle og udviklingen af den danske velfærdsmodel med udgangspunkt i topchefens position.

Foreningen er et kollegaskab, hvor relationerne mellem medlemmerne er afgørende for, at vi lykkes som forening. Vores kollegaskab indebærer, at vi mødes i de regionale kredse, til foreningens generalforsamling og til faglige arrangementer med eksterne samarbejdspartnere. I det helt nære er vores kollegaskab, at vi rækker ud til hinanden og deler vores perspektiver på hverdagen som kommunaldirektør."""

INTRODUCTION = """I perioden 2023-2025 vil KOMDIR have tre fokusområder:

1. Udvikling af den borgernære velfærd og frisættelse
2. Færre ressourcer til flere og mere komplekse opgaver
3. Civilsamfund.

De tre fokusområder fylder i hverdagen i kommunerne. De afspejler også nationale dagsordener, hvor omverdenen forventer KOMDIRs engagement. Kommunaldirektører har en særlig indsigt og legitimitet på disse områder.

Fokusområderne er således med til at styrke foreningens relationer til omverdenen, og gøre foreningen spilbar i den offentlige debat om kommunedanmark."""

FOCUS_AREAS = [
    {
        "number": 1,
        "slug": "borgernaer-velfaerd-og-frisaettelse",
        "title": "Udvikling af den borgernære velfærd og frisættelse",
        "summary": "KOMDIR arbejder for at udvikle den borgernære velfærd, så den giver mest mulig værdi for borgerne, politikere og medarbejdere.",
        "body": """Med Økonomiaftalen 2024 er der fra nationalt holdt iværksat aktiviteter om frisættelse, som foreningen vil bidrage til.

Det kræver indsigt i den kommunale opgaveløsning at realisere en frisættelse i den offentlige sektor. KOMDIR vil bidrage til, at dialogen om frisættelse forankres i det lokale demokrati og i kommunen som organisation.

KOMDIR vil i dialogen tage udgangspunkt i, hvad der er kommunernes rolle og hvad, borgerne kan forvente af den borgernære velfærd. Det handler fx om kommunale serviceniveauer, hvem der har ansvaret for levering af en service og hvem, der skal finansiere den.

KOMDIR vil bidrage til, at de mange komplicerede balancer i en frisættelsesproces, indgår som centrale parametre i debatten og implementeringsprocessen. KOMDIR vil medvirke med konkrete eksempler til, hvordan frisættelse kan implementeres på en måde, der fungerer for borgere, ansatte og lokalpolitikere.

KOMDIR vil arbejde med, hvordan den borgernære velfærd kan udvikles gennem fx sammenhængende borgerforløb, frisættelse af kommunerne og partnerskaber med civilsamfundet.""",
        "questions": [
            "Hvordan lykkedes vi som samfund med at fremtidssikre velfærdssamfundet i en situation med demografiske udfordringer og stigende forventningspres?",
            "Hvordan sikrer vi den lokaldemokratiske samtale og forankring om fremtidens velfærdssamfund og udvikling af borgernær velfærd?",
            "Hvordan bidrager vi til, at de mange komplicerede balancer i frisættelsen, indgår som centrale parametre i debatten og implementeringen?",
        ],
        "tags": ["Frisættelse", "Borgernær velfærd", "Lokaldemokrati"],
    },
    {
        "number": 2,
        "slug": "faerre-ressourcer-flere-opgaver",
        "title": "Færre ressourcer til flere og mere komplekse opgaver",
        "summary": "KOMDIR arbejder for at finde løsninger på den udfordring, at vi har færre ressourcer til at løse flere og mere komplekse opgaver.",
        "body": """Kommunerne er udsat for et massivt forventningspres fra omverdenen, som står i modsætning til de aktuelle rekrutteringsudfordringer og de økonomiske rammer.

Manglen på arbejdskraft og det faldende optag på professionsuddannelserne og andre uddannelser, der understøtter velfærdssamfundet, stiller krav til os om at gennemføre grundlæggende forandringer.

Kommunale arbejdspladser er meningsfulde arbejdspladser, hvor der hver dag findes løsninger på de samfundsmæssige udfordringer. Det er arbejdspladser, hvor medarbejdere og ledere er en del af noget større, og hvor der er plads til faglig medbestemmelse i opgaveløsningen.""",
        "questions": [
            "Hvordan tiltrækker og fastholder vi medarbejdere og ledere til kommunerne nu og i fremtiden?",
            "Hvordan kan de teknologiske og digitale løsninger indgå som en del af svaret, uden at kompromittere grundlæggende menneskelige værdier?",
            "Hvordan leder, styrer og organiserer vi levering af kommunale opgaver på en måde, som bidrager positivt på mulighederne for at rekruttere og fastholde medarbejdere?",
        ],
        "tags": ["Rekruttering", "Teknologi", "Arbejdskraft"],
    },
    {
        "number": 3,
        "slug": "civilsamfund",
        "title": "Civilsamfund",
        "summary": "KOMDIR arbejder for at styrke samarbejdet mellem civilsamfundet og kommunerne.",
        "body": """Danmark har en lang tradition med andelsbevægelse, arbejderbevægelse og højskoler, hvor vi som civilsamfund finder fælles løsninger. Civilsamfundet har vist en robusthed under samfundskriser.

KOMDIR vil søge dialog og samarbejde med omverdenen om, hvad øget samarbejde mellem kommuner og civilsamfund dækker over, og hvad det kan være et svar på. KOMDIR ønsker at bidrage med et nuanceret og dækkende billede af, hvordan frivillige, foreninger og andre civilsamfundsaktører kan supplere den kommunale opgaveløsning. Det handler fx om at undersøge, hvad civilsamfundsaktiviteter er i sig selv, men også om styring og ledelse af samarbejdet.

Kommunerne skal møde civilsamfundsaktører med tillid og respekt som kompetente samarbejdspartnere. Kommunerne må have opmærksomhed på ikke at overtage opgaveområder, som civilsamfundet varetager.

Kommunerne kan gøre det nemmere for civilsamfundsaktører at udøve deres aktiviteter. Det kan undersøges, hvordan rammerne om det gode liv for borgerne i højere grad kan skabes sammen med civilsamfundsaktører.

Kommunernes samarbejde med civilsamfundsaktører rejser en række dilemmaer og spændinger mellem de forskellige hensyn til ligebehandling, retssikkerhed, forsyningssikkerhed og politisk gennemsigtighed, som bør afdækkes nærmere for at sikre et stadig tættere samarbejde.""",
        "questions": [
            "Hvilke civilsamfundsaktiviteter kan supplere de kommunale opgaver?",
            "Hvilke muligheder og udfordringer rejser et tættere samarbejde med civilsamfundsaktører?",
            "Hvordan kan vi medvirke til at videreudvikle operationelle modeller for samarbejdet, der kan bruges i den kommunale hverdag?",
        ],
        "tags": ["Civilsamfund", "Frivillighed", "Foreninger"],
    },
]


def seed(apps, schema_editor):
    Page = apps.get_model("focusareas", "Page")
    StrategyPeriod = apps.get_model("focusareas", "StrategyPeriod")
    FocusArea = apps.get_model("focusareas", "FocusArea")
    GuidingQuestion = apps.get_model("focusareas", "GuidingQuestion")
    FocusAreaRevision = apps.get_model("focusareas", "FocusAreaRevision")
    Tag = apps.get_model("taggit", "Tag")

    Page.objects.get_or_create(slug="om", defaults={"title": "Om KOMDIR", "body": PURPOSE})
    period, _ = StrategyPeriod.objects.get_or_create(
        slug="2023-2025",
        defaults={
            "title": "Fokusområder 2023-2025",
            "starts_on": "2023-01-01",
            "ends_on": "2025-12-31",
            "introduction": INTRODUCTION,
        },
    )
    for data in FOCUS_AREAS:
        if FocusArea.objects.filter(slug=data["slug"]).exists():
            continue
        area = FocusArea.objects.create(
            period=period,
            number=data["number"],
            slug=data["slug"],
            title=data["title"],
            summary=data["summary"],
            body=data["body"],
        )
        questions = [
            GuidingQuestion.objects.create(focus_area=area, text=text, ordering=position)
            for position, text in enumerate(data["questions"])
        ]
        tags = []
        for name in data["tags"]:
            tag = Tag.objects.filter(name__iexact=name).first()
            if tag is None:
                # Historical models lack taggit's slug logic: the slug is made here.
                from django.utils.text import slugify

                tag = Tag.objects.create(name=name, slug=slugify(name, allow_unicode=True))
            tags.append(tag)
        area.tags.set(tags)
        # Revision 1 is the text as the association adopted it.
        FocusAreaRevision.objects.create(
            focus_area=area,
            number=1,
            snapshot={
                "title": area.title,
                "summary": area.summary,
                "body": area.body,
                "questions": [{"id": q.pk, "text": q.text} for q in questions],
                "tags": sorted((t.name for t in tags), key=str.lower),
            },
            created_at=timezone.now(),
            note="Fokusområder 2023-2025",
        )


class Migration(migrations.Migration):
    dependencies = [
        ("focusareas", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
