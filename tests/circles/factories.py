import factory

from circles.models import Circle, CircleMembership
from tests.members.factories import MemberFactory


class CircleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Circle

    name = factory.Sequence(lambda n: f"Temakreds {n}")
    slug = factory.Sequence(lambda n: f"temakreds-{n}")


class CircleMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CircleMembership

    member = factory.SubFactory(MemberFactory, home_circle=False)
    circle = factory.LazyFunction(lambda: Circle.objects.order_by("pk").first())
    role = CircleMembership.Role.MEMBER
