import factory
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group

from members.models import Member, Municipality

PASSWORD = "correct-horse-battery"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"medlem{n}@kommune.example")
    first_name = factory.Faker("first_name", locale="da_DK")
    last_name = factory.Faker("last_name", locale="da_DK")
    job_title = "Kommunaldirektør"
    municipality = factory.LazyFunction(lambda: Municipality.objects.order_by("?").first())
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)

    @factory.post_generation
    def home_circle(self, create, extracted, **kwargs):
        if create and extracted is not False:
            from circles.services import circle_membership_join_home

            circle_membership_join_home(member=self)


class BoardMemberFactory(MemberFactory):
    @factory.post_generation
    def board_group(self, create, extracted, **kwargs):
        if create:
            group, _ = Group.objects.get_or_create(name=settings.BOARD_GROUP_NAME)
            self.groups.add(group)


class StaffFactory(MemberFactory):
    is_staff = True
    is_superuser = True


def issue_invitation(email: str = "ny.direktoer@kommune.example", invited_by=None, **kwargs):
    """A real invitation with its raw token, through the service the portal uses."""
    from members.services import invitation_create

    return invitation_create(email=email, invited_by=invited_by, **kwargs)


def make_deputy(member, **kwargs):
    """A deputy linked to `member`, through the service a deputy's signup uses."""
    from members.services import deputy_link

    deputy = MemberFactory(municipality=member.municipality, home_circle=False, **kwargs)
    return deputy_link(deputy=deputy, member=member)
