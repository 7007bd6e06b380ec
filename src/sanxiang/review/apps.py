from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """Legal review of major decisions (重大执法决定法制审核)."""

    name = "sanxiang.review"
    label = "review"
    verbose_name = "法制审核"
