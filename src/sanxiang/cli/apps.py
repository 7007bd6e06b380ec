from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "sanxiang.cli"
    label = "cli"
    verbose_name = "命令行"
