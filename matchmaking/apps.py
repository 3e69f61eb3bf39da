from django.apps import AppConfig


class MatchmakingConfig(AppConfig):
    name = "matchmaking"
    verbose_name = "Match-making and Expert Programme"

    def ready(self) -> None:
        from matchmaking.selectors import from_matchmaking
        from partnerships.page_extensions import partnership_note_add

        # A partnership formed through match-making says so on its public page.
        partnership_note_add(
            name="from_matchmaking",
            expression=from_matchmaking,
            template="matchmaking/_partnership_note.html",
        )
