from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "onelicense.approvals"
    verbose_name = "分类审批"
