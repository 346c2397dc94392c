from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Circle(models.Model):
    """A regional circle (kreds) where members meet."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    region = models.OneToOneField(
        "members.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="circle",
        verbose_name=_("region"),
    )
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="CircleMembership",
        related_name="circles",
        verbose_name=_("members"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("circle")
        verbose_name_plural = _("circles")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("circles:detail", args=[self.slug])


class CircleMembershipQuerySet(models.QuerySet):
    def leads(self):
        return self.filter(role=CircleMembership.Role.LEAD)


class CircleMembership(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Circle lead")
        MEMBER = "member", _("Member")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="circle_memberships",
        verbose_name=_("member"),
    )
    circle = models.ForeignKey(
        Circle, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("circle")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    objects = CircleMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["circle__name", "role", "member__first_name"]  # "lead" sorts first
        verbose_name = _("circle membership")
        verbose_name_plural = _("circle memberships")
        constraints = [
            models.UniqueConstraint(fields=["member", "circle"], name="one_membership_per_circle"),
        ]

    def __str__(self) -> str:
        return f"{self.member}, {self.circle} ({self.get_role_display()})"
