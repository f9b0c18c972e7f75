"""A region's team pages (`region_urlpatterns`, in the `assessments` namespace) and the
invitation links (namespace `invitations`, at /invitations/)."""

from django.urls import path

from assessments.team import views

app_name = "invitations"

urlpatterns = [
    path("<str:token>/", views.invitation_accept, name="accept"),
    path("waiting/<int:pk>/accept/", views.invitation_join, name="join"),
]

team = "<slug:region_slug>/team/"

region_urlpatterns = [
    path(team, views.team, name="team"),
    path(f"{team}invite/", views.team_invite, name="team-invite"),
    path(f"{team}leave/", views.team_leave, name="team-leave"),
    path(
        f"{team}invitations/<int:invitation_pk>/resend/",
        views.invitation_resend,
        name="team-invitation-resend",
    ),
    path(
        f"{team}invitations/<int:invitation_pk>/revoke/",
        views.invitation_revoke,
        name="team-invitation-revoke",
    ),
    path(f"{team}members/<int:member_pk>/role/", views.member_role, name="team-member-role"),
    path(f"{team}members/<int:member_pk>/remove/", views.member_remove, name="team-member-remove"),
]
