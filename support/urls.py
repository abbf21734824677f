"""Support pages, under /support/. Agent pages live under /support/agents/."""

from __future__ import annotations

from django.urls import path

from support.views import agents, assistant, hypervision, knowledge, requests, substitution

app_name = "support"

urlpatterns = [
    # Everyone: help, assistant, articles.
    path("", assistant.help_view, name="help"),
    path("assistant/", assistant.assistant_view, name="assistant"),
    path(
        "assistant/<int:conversation_id>/reponses/<int:turn_id>/",
        assistant.assistant_feedback_view,
        name="assistant_feedback",
    ),
    path("aide/<slug:slug>/", assistant.article_view, name="article"),
    # Requesters.
    path("sollicitations/", requests.request_list_view, name="request_list"),
    path("sollicitations/nouvelle/", requests.request_create_view, name="request_create"),
    path("sollicitations/<str:number>/", requests.request_detail_view, name="request_detail"),
    path(
        "sollicitations/<str:number>/cloturer/",
        requests.request_close_view,
        name="request_close",
    ),
    path("pieces-jointes/<int:pk>/", requests.attachment_download_view, name="attachment_download"),
    path(
        "mon-compte/actions-du-support/",
        requests.my_substitutions_view,
        name="my_substitutions",
    ),
    # Support agents.
    path("agents/", agents.queue_view, name="queue"),
    path(
        "agents/sollicitations/<str:number>/",
        agents.agent_request_detail_view,
        name="agent_request_detail",
    ),
    path(
        "agents/sollicitations/<str:number>/prendre/",
        agents.agent_request_take_view,
        name="agent_request_take",
    ),
    path(
        "agents/sollicitations/<str:number>/affecter/",
        agents.agent_request_assign_view,
        name="agent_request_assign",
    ),
    path(
        "agents/sollicitations/<str:number>/statut/",
        agents.agent_request_status_view,
        name="agent_request_status",
    ),
    path(
        "agents/sollicitations/<str:number>/priorite/",
        agents.agent_request_priority_view,
        name="agent_request_priority",
    ),
    path(
        "agents/sollicitations/<str:number>/niveau-2/",
        agents.agent_request_escalate_view,
        name="agent_request_escalate",
    ),
    path("agents/tableau-de-bord/", agents.manager_dashboard_view, name="manager_dashboard"),
    path("agents/substitution/", substitution.substitution_search_view, name="substitution_search"),
    path(
        "agents/substitution/demarrer/",
        substitution.substitution_start_view,
        name="substitution_start",
    ),
    path(
        "agents/substitution/agir/",
        substitution.substitution_act_view,
        name="substitution_act",
    ),
    path("agents/substitutions/", substitution.substitution_log_view, name="substitution_log"),
    path(
        "agents/substitutions/<int:pk>/",
        substitution.substitution_detail_view,
        name="substitution_detail",
    ),
    path("agents/base-de-connaissances/", knowledge.kb_list_view, name="kb_list"),
    path("agents/base-de-connaissances/nouvel-article/", knowledge.kb_edit_view, name="kb_create"),
    path("agents/base-de-connaissances/<int:pk>/", knowledge.kb_edit_view, name="kb_edit"),
    # Hypervision (agents only, every access logged).
    path("agents/hypervision/", hypervision.hypervision_search_view, name="hypervision_search"),
    path(
        "agents/hypervision/depots/<uuid:public_id>/",
        hypervision.hypervision_flow_view,
        name="hypervision_flow",
    ),
    path(
        "agents/hypervision/depots/<uuid:public_id>/original/",
        hypervision.hypervision_original_view,
        name="hypervision_original",
    ),
    path(
        "agents/hypervision/depots/<uuid:public_id>/compte-rendu.csv",
        hypervision.hypervision_report_csv_view,
        name="hypervision_report_csv",
    ),
    path(
        "agents/hypervision/depots/<uuid:public_id>/compte-rendu.json",
        hypervision.hypervision_report_json_view,
        name="hypervision_report_json",
    ),
    path(
        "agents/hypervision/factures/<uuid:public_id>/",
        hypervision.hypervision_invoice_view,
        name="hypervision_invoice",
    ),
    path("agents/supervision/", hypervision.supervision_view, name="supervision"),
]
