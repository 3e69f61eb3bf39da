"""A test email backend whose mail server refuses some recipients: Django's locmem
backend (messages land in `django.core.mail.outbox`), except that a message to an
address in settings.TEST_EMAIL_REFUSED fails as a refused mailbox does. Set with the
`settings` fixture, it holds for the live server's thread too."""

from django.conf import settings
from django.core.mail.backends.locmem import EmailBackend


class RefusingEmailBackend(EmailBackend):
    def send_messages(self, messages):
        refused = {address.lower() for address in getattr(settings, "TEST_EMAIL_REFUSED", ())}
        for message in messages:
            if refused & {address.lower() for address in message.to}:
                raise ConnectionRefusedError("550 5.1.1 mailbox unavailable")
        return super().send_messages(messages)
