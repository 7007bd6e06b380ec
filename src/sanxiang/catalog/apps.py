from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """Catalogs and rules (目录清单与规则): matters, review catalog, time limits, templates."""

    name = "sanxiang.catalog"
    label = "catalog"
    verbose_name = "目录与规则"
