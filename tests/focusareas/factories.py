import factory
from django.utils import timezone

from focusareas.models import Comment, Contribution, FocusArea, GuidingQuestion, StrategyPeriod
from tests.members.factories import MemberFactory


class StrategyPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategyPeriod

    title = factory.Sequence(lambda n: f"Fokusområder {2026 + 3 * n}-{2028 + 3 * n}")
    slug = factory.Sequence(lambda n: f"{2026 + 3 * n}-{2028 + 3 * n}")
    starts_on = factory.Sequence(lambda n: f"{2026 + 3 * n}-01-01")
    ends_on = factory.Sequence(lambda n: f"{2028 + 3 * n}-12-31")


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea
        skip_postgeneration_save = True

    period = factory.SubFactory(StrategyPeriodFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Fokusområde nummer {n}")
    slug = factory.Sequence(lambda n: f"fokusomraade-{n}")
    summary = "Et fokusområde til test."
    body = "Brødtekst."


class GuidingQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuidingQuestion

    focus_area = factory.SubFactory(FocusAreaFactory)
    text = factory.Sequence(lambda n: f"Hvordan gør vi nummer {n}?")
    ordering = factory.Sequence(lambda n: n)


class ContributionFactory(factory.django.DjangoModelFactory):
    """A published contribution for all members; pass tags=[...] to tag it."""

    class Meta:
        model = Contribution
        skip_postgeneration_save = True

    author = factory.SubFactory(MemberFactory)
    title = factory.Sequence(lambda n: f"Erfaring nummer {n}")
    body = "Vi prøvede noget nyt, og det gik godt."
    status = Contribution.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            from focusareas.services import tags_from_names

            self.tags.set(tags_from_names(list(extracted)))


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    contribution = factory.SubFactory(ContributionFactory)
    author = factory.SubFactory(MemberFactory)
    body = "Tak for delingen."
