from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    """Random inspections (双随机、一公开): pools, reproducible draws, results and their publication."""

    name = "sanxiang.inspections"
    verbose_name = _("Random inspections")
