from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = "Councils and partnerships"

    def ready(self) -> None:
        from partnerships.signals import receivers_connect

        receivers_connect()
