"""The general assembly's addresses: the preparation (notice, agenda, motions, candidacies,
the archive) and the day itself (proxies, attendance, decisions, minutes)."""

from .views import day, preparation

app_name = "assemblies"

urlpatterns = [*preparation.urlpatterns, *day.urlpatterns]
