"""Every page of the web interface, in the ``web`` namespace (see docs: the access matrix)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from parley.web.views import consultations, home, live, processes, records, texts

app_name = "web"

RECORD = "p/<slug:slug>/<slug:kind>/<slug:key>/"
CONVERSATION = "c/<slug:slug>/"
TEXT = "p/<slug:slug>/texts/<slug:text>/"
VERSION = f"{TEXT}v/<int:number>/"
CLAUSE = f"{VERSION}clauses/<slug:clause>/"

# The negotiating texts' pages. Before the record pages: "texts" would otherwise read as a kind
# of record; "new" before the pages it would otherwise name (a text, a clause, an amendment).
TEXT_PAGES = [
    path("p/<slug:slug>/texts/", texts.text_list, name="texts"),
    path("p/<slug:slug>/texts/new/", texts.text_create, name="text-create"),
    path(TEXT, texts.text_detail, name="text"),
    path(f"{TEXT}diff/", texts.text_diff, name="text-diff"),
    path(f"{TEXT}changes/", texts.text_changes, name="text-changes"),
    path(f"{TEXT}draft/", texts.text_draft, name="text-draft"),
    path(f"{TEXT}import/", texts.text_import, name="text-import"),
    path(f"{TEXT}amendments/", texts.amendment_list, name="text-amendments"),
    path(f"{TEXT}amendments/new/", texts.amendment_create, name="text-amendment-create"),
    path(
        f"{TEXT}amendments/<slug:code>/decide/",
        texts.amendment_decide,
        name="text-amendment-decide",
    ),  # fmt: skip
    path(VERSION, texts.version_detail, name="text-version"),
    path(f"{VERSION}board/", texts.version_board, name="text-board"),
    path(f"{VERSION}reviewed/", texts.version_reviewed, name="text-reviewed"),
    path(f"{VERSION}export.<str:fmt>", texts.version_export, name="text-export"),
    path(f"{VERSION}clauses/new/", texts.clause_create, name="text-clause-create"),
    path(CLAUSE, texts.clause_detail, name="text-clause"),
    path(f"{CLAUSE}position/", texts.clause_position, name="text-position"),
    path(f"{CLAUSE}edit/", texts.clause_edit, name="text-clause-edit"),
    path(f"{CLAUSE}comments/", texts.clause_comment, name="text-comment"),
    path(f"{CLAUSE}cite/", texts.clause_cite, name="text-cite"),
]

urlpatterns = [
    path("", home.home, name="home"),
    path("healthz", home.healthz, name="healthz"),
    # Not PUT: LoginView would take it as a POST. The sign-in form is posted, nothing else.
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", http_method_names=["get", "head", "post", "options"]
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("processes/new/", processes.process_create, name="process-create"),
    path("p/<slug:slug>/", processes.process_detail, name="process-detail"),
    path("p/<slug:slug>/timeline/", processes.process_timeline, name="process-timeline"),
    path("p/<slug:slug>/edit/", processes.process_edit, name="process-edit"),
    path("p/<slug:slug>/audit/", processes.process_audit, name="process-audit"),
    # Before the record pages: "consultations" would otherwise read as a kind of record.
    path(
        "p/<slug:slug>/consultations/new/",
        consultations.consultation_create_in_process,
        name="process-consultation-create",
    ),  # fmt: skip
    *TEXT_PAGES,
    # Before the record page: "new" would otherwise read as a record's key.
    path("p/<slug:slug>/<slug:kind>/new/", records.record_create, name="record-create"),
    path(RECORD, records.record_detail, name="record-detail"),
    path(f"{RECORD}edit/", records.record_edit, name="record-edit"),
    path(f"{RECORD}cite/", records.record_cite, name="record-cite"),
    path("consultations/new/", consultations.consultation_create, name="consultation-create"),
    path(CONVERSATION, consultations.conversation_card, name="consultation"),
    path(f"{CONVERSATION}vote/", consultations.conversation_vote, name="consultation-vote"),
    path(
        f"{CONVERSATION}statements/new/",
        consultations.statement_create,
        name="consultation-statement-create",
    ),  # fmt: skip
    path(
        f"{CONVERSATION}statements/<int:number>/moderate/",
        consultations.statement_moderate,
        name="consultation-statement-moderate",
    ),  # fmt: skip
    path(
        f"{CONVERSATION}statements/<int:number>/",
        texts.statement_detail,
        name="consultation-statement",
    ),  # fmt: skip
    path(f"{CONVERSATION}moderation/", consultations.moderation, name="consultation-moderation"),
    path(f"{CONVERSATION}results/", consultations.results_page, name="consultation-results"),
    path(f"{CONVERSATION}events", live.conversation_events, name="consultation-events"),
]
