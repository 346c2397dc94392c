from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("medlemmer/invitationer/", views.invitation_list, name="invitations"),
    path(
        "medlemmer/kommuneskift/",
        views.municipality_change_list,
        name="municipality_changes",
    ),
    path("profil/data/", views.data_export, name="data_export"),
    path("profil/slet/", views.account_erase, name="erase"),
    path("profil/stedfortraeder/", views.deputy_manage, name="deputy"),
]
